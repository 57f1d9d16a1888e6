import type { Principal } from './principal.js';

/**
 * Resolves a bearer secret to who is calling. Core owns the contract so the guard needs no
 * feature; the keys module provides the implementation (`{ provide: KeyVerifier, useClass: … }`).
 * Throws a 401/403 ProblemException for a key that is malformed, unknown, expired or suspended.
 */
export abstract class KeyVerifier {
  abstract verify(secret: string): Promise<Principal>;
}
