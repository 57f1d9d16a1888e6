/**
 * A problem with user-supplied input, independent of the transport that carried it: the HTTP
 * layer maps it to RFC 9457 problem+json (`code` → `code`, `status` → status, `param` → an
 * `errors[]` entry) and the worker maps it to a failed job with the same stable `code`.
 *
 * `message` is shown to the customer, so it must never contain internal details such as
 * resolved addresses or upstream error text.
 */
export class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 422,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
