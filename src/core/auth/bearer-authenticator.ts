import { Injectable } from '@nestjs/common';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { Request } from 'express';
import { KeyVerifier } from './key-verifier.js';
import type { Principal } from './principal.js';
import { ProblemException } from '../../platform/http/problem.js';

/**
 * Passport's bearer strategy (RFC 6750's header form; the guard has already refused requests
 * without `Authorization: Bearer`) on an Authenticator of this app's own: the default `passport`
 * singleton keeps one strategy registry per process, so two apps in one process (tests, a CLI
 * next to a server) would authenticate through whichever registered last.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly passport = new passport.Passport();

  constructor(verifier: KeyVerifier) {
    this.passport.use(
      'bearer',
      new BearerStrategy((token, done) => {
        verifier.verify(token).then(
          (principal) => done(null, principal),
          (e: unknown) => done(e),
        );
      }),
    );
  }

  authenticate(req: Request): Promise<Principal> {
    return new Promise((resolve, reject) => {
      // With a callback, passport reports the outcome to it and never writes the response.
      const handler = this.passport.authenticate('bearer', { session: false }, (err: unknown, principal: Principal | false) => {
        if (err) return reject(err);
        if (!principal) return reject(new ProblemException(401, 'invalid_api_key', 'The API key is not valid or has been revoked.'));
        resolve(principal);
      });
      handler(req, req.res, reject);
    });
  }
}
