import { ApiExtension } from '@nestjs/swagger';

/**
 * The problem `code`s an operation answers with beyond those every route of its kind can give
 * (authentication, scopes, validation, not found, rate limits: added by withProblemResponses).
 * Each must be in an error catalogue; the spec lists them per status as an enum.
 */
export const ProblemCodes = (...codes: string[]) => ApiExtension('x-problem-codes', codes);
