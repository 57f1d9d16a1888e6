import type { Principal } from './principal.js';

/**
 * Resolves a bearer secret to who is calling. Core owns the contract so the guard needs no
 * feature; the keys module provides the implementation (`{ provide: KeyVerifier, useClass: … }`).
 * Throws a DomainError for a key that is malformed, unknown, expired (codes answered with 401) or suspended (403).
 */
export abstract class KeyVerifier {
  abstract verify(secret: string): Promise<Principal>;
}
