import { defineErrors } from './error-catalogue.js';

/** Codes of the HTTP conventions themselves (filter, body reader, validation pipe). */
export const httpErrors = defineErrors('http', {
  validation_failed: {
    status: 400,
    when: 'missing/unknown/invalid parameter (see `errors[]`; `invalid_characters` there: a string holds NUL, another C0 control or an unpaired surrogate)',
  },
  malformed_json: { status: 400, when: 'the body is not JSON' },
  json_too_deep: { status: 400, when: 'the JSON body nests deeper than 64 levels of arrays and objects' },
  too_many_large_requests: {
    status: 429,
    when: 'the account already has LARGE_BODIES_IN_FLIGHT_PER_TENANT bodies of 1 MiB or more in progress on this server (`Retry-After`)',
  },
  bad_request: { status: 400, when: 'the request could not be read' },
  api_version_unknown: { status: 400, when: '`Leoma-Version` names no API version (the answer lists them; see CHANGELOG.md)' },
  payload_too_large: {
    status: 413,
    when: "the body is over the route's cap: `JSON_BODY_MAX_BYTES` (64 KiB), or an inline image's size plus 64 KiB on `POST /v1/videos`",
  },
  malformed_request: { status: 400, when: 'not parseable as HTTP (a control character in a header value, a malformed request line)' },
  headers_too_large: { status: 431, when: 'the request headers are over the size limit' },
  request_timeout: {
    status: 408,
    when: 'the request (headers within `HTTP_HEADERS_TIMEOUT_MS`, the whole of it within `HTTP_REQUEST_TIMEOUT_MS`) arrived too slowly',
  },
  forbidden: { status: 403, when: 'refused, with no more specific code' },
  resource_not_found: { status: 404, when: "unknown id (or another tenant's), or no such route" },
  method_not_allowed: { status: 405, when: 'the route exists, the method does not' },
  unsupported_media_type: {
    status: 415,
    when: "a body type the route does not take (the problem's `accepted_types` and the `Accept-Post` header list the ones it does)",
  },
  internal_error: { status: 500, when: 'our fault; quote the `request_id` to support' },
  service_unavailable: { status: 503, when: 'a dependency (Redis, the database, file storage) is down; nothing was done, retry (`Retry-After`)' },
});
