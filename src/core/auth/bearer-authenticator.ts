import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { KeyVerifier } from './key-verifier.js';
import type { Principal } from './principal.js';
import { ProblemException } from '../../platform/http/problem.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The key from `Authorization: Bearer <key>` (RFC 6750's header form only: a key in the query
 * string or the body would end up in access logs and caches), checked by the KeyVerifier. Read
 * directly rather than through passport, whose strategy objects and callbacks cost every
 * authenticated request more than the cached key lookup itself.
 */
@Injectable()
export class BearerAuthenticator {
  constructor(private readonly verifier: KeyVerifier) {}

  authenticate(req: Request): Promise<Principal> {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return Promise.reject(new ProblemException(401, 'invalid_api_key', 'The API key is not valid or has been revoked.'));
    return this.verifier.verify(token);
  }
}
