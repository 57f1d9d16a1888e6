import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of destinations.controller.ts, kept here so the controller reads as a list of routes. */
export const destinationsDocs = {
  createDestination: {
    summary: "Register your own S3-compatible bucket as a destination for videos' files",
    operationId: 'createDestination',
    description:
      "Saves a bucket (AWS S3, or any S3-compatible store through `endpoint`) with credentials that may put objects under `prefix`. Before saving, the API writes a small test object under the prefix and deletes it: 422 `destination_denied` when the store refuses (wrong key or secret, no permission), 422 `destination_unreachable` when it cannot be reached. The endpoint must be https on a public address unless the operator allowlisted its host. The secret is stored encrypted and never returned. Name the destination's id as `destination` on a video or batch to have its files copied there when it succeeds.",
  },
  listDestinations: {
    summary: 'List destinations, newest first',
    operationId: 'listDestinations',
    description: "The tenant's destinations of the calling key's mode, newest first, without secrets.",
  },
  getDestination: {
    summary: 'Retrieve a destination',
    operationId: 'getDestination',
    description: "One destination, without its secret. Another tenant's (or the other mode's) is a 404.",
  },
  deleteDestination: {
    summary: 'Delete a destination; nothing more is copied to it',
    operationId: 'deleteDestination',
    description: 'Deletes the destination; deliveries still pending to it fail (`video.delivery_failed`).',
  },
  testDestination: {
    summary: 'Write and delete a test object with the stored credentials',
    operationId: 'testDestination',
    description:
      "The check made at creation, again: 200 when the test object was written and deleted, else 422 `destination_denied` or `destination_unreachable` with the store's answer.",
  },
  redeliverVideo: {
    summary: "Copy a video's files to its destination again",
    operationId: 'redeliverVideo',
    description:
      "Starts a failed (or delivered) video's delivery again from its first attempt; the files are written under the same keys. 404 `delivery_not_found` when the video named no destination, 409 `delivery_in_progress` while one is pending.",
  },
} satisfies Record<string, ApiOperationOptions>;
