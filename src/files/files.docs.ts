import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of files.controller.ts, kept here so the controller reads as a list of routes. */
export const filesDocs = {
  createFile: {
    summary:
      'Upload an image (PNG, JPEG or WebP) to use as a video start frame, a batch input file (JSONL or CSV, `purpose=batch`) or a sound track (`purpose=audio`)',
    operationId: 'createFile',
    description:
      'Uploads a start-frame image once (multipart part `file`; PNG, JPEG or WebP, checked by its bytes) and returns a `file_` id to pass as `image` to `POST /v1/videos` any number of times; with `purpose=batch`, a JSONL or CSV batch input to pass as `input_file_id` to `POST /v1/batches`; with `purpose=image_archive`, a ZIP of images to pass as `images_file_id` to `POST /v1/batches`, whose rows then name its members (`image: "photos/sku-1.jpg"`). An archive is checked whole when uploaded: member names with `../`, absolute paths or backslashes, duplicate names, more than ARCHIVE_MAX_ENTRIES members, or members that expand past the image cap (declared or actual) are refused (422 `archive_…`). With `purpose=audio`, a sound track (MP3, AAC, M4A or WAV, checked by its bytes and then read with ffprobe: one audio stream, at most AUDIO_MAX_BYTES and AUDIO_MAX_SECONDS) to pass as `audio_file` to `POST /v1/videos`; anything else is refused (415 `audio_unsupported_type`, 422 `audio_invalid`, `audio_too_long`, 413 `audio_too_large`); a server too loaded to read it answers 503 `media_check_unavailable` (send it again).',
  },
  createUploads: {
    summary: 'Presigned uploads: URLs to PUT many images (or sound tracks) straight to storage',
    operationId: 'createFileUploads',
    description:
      'For catalogues: one `file_` per image (`pending`), each with an `upload_url` to `PUT` the image\'s bytes to (with the given `Content-Type`; the declared `bytes` is signed into the URL) until `upload_expires_at`. Then `POST /v1/files/{id}/complete`: the API reads the object and checks it as it checks a multipart upload (type by its bytes, size, dimensions). An entry with `purpose: "audio"` is a sound track for `audio_file` (an audio `content_type`, at most AUDIO_MAX_BYTES: 413 `audio_too_large` here), checked on completion as `POST /v1/files` with `purpose=audio` checks one. Each counts toward the plan\'s `uploads_per_day` and `uploads_per_month` when it is handed out (429 `file_upload_limit_reached`, `period` says which). A file never completed is not usable and expires with its URL. One request asks for up to FILES_UPLOADS_PER_REQUEST files (1,000 by default); its JSON body may be as large as that many entries need, on top of JSON_BODY_MAX_BYTES.',
  },
  completeUpload: {
    summary: 'Complete a presigned upload: the file is checked and becomes ready',
    operationId: 'completeFileUpload',
    description:
      'Reads what was PUT and checks it (PNG, JPEG or WebP by its bytes, the size and dimension caps; a sound track (`purpose` `audio`): MP3, AAC, M4A or WAV by its bytes, one audio stream ffprobe reads, AUDIO_MAX_BYTES and AUDIO_MAX_SECONDS, refused with 415 `audio_unsupported_type`, 422 `audio_invalid` or `audio_too_long`, 413 `audio_too_large`; 503 `media_check_unavailable` when the server was too loaded to read it, which keeps what was PUT: complete again). A refused file is deleted and the file stays `pending`, so a good image may be PUT to the same URL while it works; completing a `ready` file answers it unchanged. 409 `file_upload_incomplete` when nothing was PUT yet; 410 `file_upload_expired` after `upload_expires_at`.',
  },
  getFile: {
    summary: 'Retrieve a file',
    operationId: 'getFile',
    description: "An uploaded file's type, size and dimensions. Another tenant's id, or a file of the other mode (live/test), is 404.",
  },
  deleteFile: {
    summary: 'Delete a file: its stored image is deleted at once; videos made from it keep their outputs',
    operationId: 'deleteFile',
    description:
      "Deletes an uploaded file's stored content at once and answers `{id, object, deleted: true}`; afterwards the id is a 404. Videos already made from it keep their outputs. Audited, and a `file.deleted` event goes to webhooks.",
  },
} satisfies Record<string, ApiOperationOptions>;
