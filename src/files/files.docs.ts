import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of files.controller.ts, kept here so the controller reads as a list of routes. */
export const filesDocs = {
  createFile: {
    summary: 'Upload an image (PNG, JPEG or WebP) to use as a video start frame, or a batch input file (JSONL or CSV, `purpose=batch`)',
    operationId: 'createFile',
    description:
      'Uploads a start-frame image once (multipart part `file`; PNG, JPEG or WebP, checked by its bytes) and returns a `file_` id to pass as `image` to `POST /v1/videos` any number of times; with `purpose=batch`, a JSONL or CSV batch input to pass as `input_file_id` to `POST /v1/batches`.',
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
