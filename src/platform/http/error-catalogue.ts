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
