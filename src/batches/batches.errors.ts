import { defineErrors } from '../platform/http/error-catalogue.js';

export const batchesErrors = defineErrors('batches', {
  batch_invalid_rows: {
    status: 422,
    when: 'rows of the batch are invalid; `rows[]` names each (row number, `custom_id`, reasons). Send `on_invalid: "skip"` to accept the rest',
  },
  archive_member_not_found: {
    status: 422,
    when: "a row's `image` names a member the batch's image archive (`images_file_id`) does not hold; the row is rejected",
  },
  complete_by_infeasible: {
    status: 422,
    when: "the batch's `complete_by` is sooner than the plan's throughput can finish it (its items and the tenant's unfinished videos, `concurrent_videos` at a time, at the pool's recent render time); `earliest_complete_by` is the earliest it can",
  },
  batch_empty: { status: 400, when: 'the batch has no items (or none valid with `on_invalid: "skip"`)' },
  batch_too_large: {
    status: 422,
    when: "more items than the plan's `max_batch_size` (a batch, or a batch estimate), or than a JSON body (1,000) or a file (50,000) may hold",
  },
  batch_input_invalid: {
    status: 400,
    when: 'the batch input cannot be read: not JSONL or CSV, a CSV without the header row, a line that is not a JSON object, or items given twice (body and file)',
  },
  batch_file_not_usable: { status: 422, when: '`input_file_id` names a file not uploaded with `purpose=batch`' },
  batch_not_cancelable: { status: 409, when: 'the batch already finished or was canceled' },
  batch_nothing_to_retry: { status: 409, when: 'retry-failed on a batch with no failed items, or one that was canceled' },
});
