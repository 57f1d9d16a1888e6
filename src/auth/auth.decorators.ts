import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from '../common/problem.js';
import type { Principal } from './principal.js';

export const PUBLIC_ROUTE = 'leoma:public';
export const OPERATOR_ROUTE = 'leoma:operator';
export const REQUIRED_SCOPES = 'leoma:scopes';

/** No credentials needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Operator keys only; tenant keys are refused. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ROUTE, true);
/** Tenant keys holding these scopes. */
export const Scopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const p = ctx.switchToHttp().getRequest<Request>().user as Principal | undefined;
  if (p?.kind !== 'tenant') throw new ProblemException(403, 'tenant_key_required', 'This endpoint needs a tenant API key.');
  return p;
});
