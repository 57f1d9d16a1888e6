import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { KeyVerifier } from './key-verifier.service.js';
import type { Principal } from './principal.js';

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly keys: KeyVerifier) {
    super();
  }

  validate(token: string): Promise<Principal> {
    return this.keys.verify(token);
  }
}
