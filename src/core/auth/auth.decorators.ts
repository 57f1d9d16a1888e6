import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemException } from '../../platform/http/problem.js';
import type { Principal } from './principal.js';
import type { OperatorRole } from './operator-roles.js';

export const PUBLIC_ROUTE = 'leoma:public';
export const PUBLIC_IDENTIFIES = 'leoma:public-identifies';
export const OPERATOR_ROUTE = 'leoma:operator';
export const REQUIRED_SCOPES = 'leoma:scopes';
export const OPERATOR_ROLES_KEY = 'leoma:roles';
export const KEY_MODES = 'leoma:key-modes';
export const SESSION_ROUTE = 'leoma:session';

/**
 * No credentials needed (health, docs); the spec gives such routes `security: []`. With
 * `identifiesCaller`, a key that is sent is still checked (a bad one gets 401) and the route sees
 * who called: the price list answers a signed-in tenant with its own prices.
 */
export const Public = (opts: { identifiesCaller?: boolean } = {}) =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), SetMetadata(PUBLIC_IDENTIFIES, opts.identifiesCaller ?? false), ApiExtension('x-public', true));
/** Operator keys only; tenant keys are refused. */
export const OperatorOnly = () => applyDecorators(SetMetadata(OPERATOR_ROUTE, true), ApiExtension('x-operator-only', true));
/** Operator roles allowed besides admin; an operator route without it is admin-only. */
export const Roles = (...roles: OperatorRole[]) =>
  applyDecorators(SetMetadata(OPERATOR_ROLES_KEY, roles), ApiExtension('x-operator-roles', ['admin', ...roles]));
/**
 * About the signed-in person, not a tenant's resources (their sessions, sign-out): a browser
 * session of a user or an operator only; keys get 403 `session_required`. State-changing methods
 * need the CSRF header like any session request.
 */
export const SessionOnly = () => applyDecorators(SetMetadata(SESSION_ROUTE, true), ApiExtension('x-session-only', true));
/** Tenant keys holding these scopes; the spec lists them as x-required-scopes for clients and the scope test. */
export const Scopes = (...scopes: string[]) => applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), ApiExtension('x-required-scopes', scopes));
/**
 * The key modes a tenant route serves. `'live'` alone: it reads or changes what only the live
 * side has (billing, the audit log), and a test key gets 403 `livemode_required`. With `'test'`
 * the route keeps to the calling key's mode itself. A tenant route that says nothing is live-only,
 * and the test-key matrix (from the spec's x-key-modes) fails until it says.
 */
export const KeyModes = (...modes: KeyMode[]) => applyDecorators(SetMetadata(KEY_MODES, modes), ApiExtension('x-key-modes', modes));
export type KeyMode = 'live' | 'test';

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const p = ctx.switchToHttp().getRequest<Request>().user as Principal | undefined;
  if (p?.kind !== 'tenant') throw new ProblemException(403, 'tenant_key_required', 'This endpoint needs a tenant API key.');
  return p;
});
