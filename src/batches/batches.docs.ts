import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of batches.controller.ts, kept here so the controller reads as a list of routes. */
export const batchesDocs = {
  createBatch: {
    summary: 'Create a batch of videos from inline items, a JSONL or CSV file, or an uploaded file id',
    operationId: 'createBatch',
    description:
      "Every row is validated first: an invalid row refuses the whole batch (422 `batch_invalid_rows`, each bad row named) unless `on_invalid` is `skip`. The batch is checked against the plan's `max_batch_size`, the month's remaining video-seconds and, for live batches, its projected cost against your hard spend caps (429 `spend_cap_reached`: the whole batch is refused) before anything is written. Each item is checked again when it runs, under your plan, caps and key as they are then: an item over a cap fails `spend_cap_reached`, and the waiting items of a batch whose key was revoked fail `api_key_revoked` (rolling the key moves the batch to the new key). CSV columns: `custom_id,image,prompt,duration_seconds,resolution,aspect_ratio,seed,camera` (and `negative_prompt`, `fps`, `audio`, `transition`, `n`, `audio_file`, checked per row as on POST /v1/videos; a row is charged as that video alone would be). A row with `n` (1–4) is n videos sharing a `group_id`, each with its own seed and charged each; `max_batch_size`, the quota, the spend caps and `complete_by` count all of them. `audio_file` (a `file_` of purpose `audio`, or an https URL) is checked when the batch is created, with the codes of a single video. With `images_file_id` (a ZIP uploaded with `purpose=image_archive`), an `image` that is not a URL, data URI or file id names a member of the archive.",
  },
  listBatches: {
    summary: 'List batches, newest first',
    operationId: 'listBatches',
    description: 'Your batches, newest first, with their status and `request_counts`; cursor pagination with `limit`, `starting_after` and `ending_before`.',
  },
  getBatch: {
    summary: 'Retrieve a batch with its item counts',
    operationId: 'getBatch',
    description:
      'One batch: status (`validating`, `in_progress`, `completed`, `failed`, `canceled`), `request_counts` that always sum to `total`, timestamps, metadata and any rejected rows.',
  },
  cancelBatch: {
    summary: 'Cancel a batch: queued items are canceled, running ones finish',
    operationId: 'cancelBatch',
    description:
      'Cancels the batch: its queued items end `canceled` (their reserved slots and seconds come back) and its running items finish and are charged if they succeed. 409 `batch_not_cancelable` once it has ended.',
  },
  retryFailedBatchItems: {
    summary: 'Run the failed items again (as new videos, same rows and custom_ids)',
    operationId: 'retryFailedBatchItems',
    description:
      "Runs the batch's failed items again as new videos with the same row, input and `custom_id`; the failed attempts stay listed under `GET /v1/videos?batch_id=`. The seconds are checked against the quota and, for live batches, the hard spend caps first.",
  },
  getBatchResults: {
    summary: 'The results manifest: one row per video, in input order',
    operationId: 'getBatchResults',
    description:
      'Columns `custom_id, variant_index, video_id, status, content_url, duration_seconds, error_code, error_message`; streamed. A row with `n` has one line per variant, `variant_index` 1…n (null for a row without `n`), and variant k downloads as `<custom_id>-<k>.mp4`. `content_url` of a succeeded item is a download link of the API (`/v1/videos/{id}/content`: send your key; it redirects to a fresh presigned URL, so a saved manifest never goes stale), and the download is named by `custom_id`. Rows left out by `on_invalid: "skip"` have status `rejected`. CSV cells that a spreadsheet would run as a formula are prefixed with `\'`.',
  },
  getBatchArchive: {
    summary: 'A ZIP of the outputs, named by custom_id',
    operationId: 'getBatchArchive',
    description:
      "Streams a ZIP with one `<custom_id>.mp4` (`<custom_id>-<k>.mp4` for variant k of a row with `n`) per succeeded item and its poster as `<custom_id>.jpg` (characters a file name cannot carry become `_`). Streamed as it is written: start the download at any time; items still running are left out. A download cut short (the store failing mid-way) ends without the ZIP's central directory, so it does not open as a whole archive.",
  },
} satisfies Record<string, ApiOperationOptions>;
