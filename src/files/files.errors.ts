import { defineErrors } from '../platform/http/error-catalogue.js';

export const filesErrors = defineErrors('files', {
  file_required: { status: 400, when: "no multipart part named 'file'" },
  file_upload_limit_reached: { status: 429, when: 'the tenant uploaded FILES_MAX_UPLOADS_PER_DAY files in the last 24 hours' },
  file_not_found: { status: 404, when: "unknown `file_` id (or another tenant's, or a deleted one)" },
  file_expired: { status: 410, when: "a `file_` used as `image` after the plan's retention deleted its image (`expired_at` is set)" },
  image_url_invalid: { status: 422, when: 'not an https URL, or has credentials' },
  image_url_forbidden: { status: 422, when: 'the URL resolves to a non-public address (checked on every redirect)' },
  image_fetch_failed: { status: 422, when: 'the URL could not be fetched' },
  image_fetch_timeout: { status: 422, when: 'the URL could not be fetched in time' },
  image_data_uri_invalid: { status: 422, when: 'not a base64 `data:image/…` URI' },
  image_unsupported_type: { status: 415, when: 'bytes are not PNG, JPEG or WebP (checked by magic bytes)' },
  image_invalid: { status: 422, when: 'truncated or corrupt image' },
  image_too_large: { status: 413, when: 'over the byte cap' },
  image_dimensions_too_large: { status: 422, when: 'over the pixel cap' },
  image_too_small: { status: 422, when: 'under the minimum width or height' },
  too_many_files: { status: 400, when: 'more than one file part' },
  unexpected_file_field: { status: 400, when: 'the file is in a part with another name' },
  field_too_large: { status: 413, when: 'a multipart field is over 64 KiB' },
  too_many_fields: { status: 400, when: 'too many multipart fields' },
  too_many_parts: { status: 400, when: 'too many multipart parts' },
  invalid_multipart: { status: 400, when: 'the multipart body cannot be read' },
});
