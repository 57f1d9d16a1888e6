/** One problem `code`: the HTTP status(es) it comes with and when a client sees it. */
export interface ErrorCode {
  status: number | readonly number[];
  when: string;
}

/** A module's problem codes, declared once in its `*.errors.ts`; the spec and the README table are built from all of them. */
export interface ErrorCatalogue {
  module: string;
  codes: Record<string, ErrorCode>;
}

export const defineErrors = <const T extends Record<string, ErrorCode>>(module: string, codes: T) => ({ module, codes }) satisfies ErrorCatalogue;

export const statusesOf = (e: ErrorCode): readonly number[] => (typeof e.status === 'number' ? [e.status] : e.status);

/** The status `code` has in these catalogues (a module reading refusals it knows), or undefined. */
export function statusIn(catalogues: ErrorCatalogue[], code: string): number | undefined {
  const spec = catalogues.find((c) => Object.hasOwn(c.codes, code))?.codes[code];
  return spec && statusesOf(spec)[0];
}

/**
 * Every catalogued code's HTTP status. Only the composition root sees every catalogue, so it provides
 * this; edge code that must tell what a DomainError will answer (the auth guard) asks it.
 */
export abstract class ErrorStatuses {
  abstract of(code: string): number | undefined;
}
