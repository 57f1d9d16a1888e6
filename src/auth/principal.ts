export type Scope = 'videos:read' | 'videos:write' | 'files:write' | 'webhooks:manage';

export const ALL_TENANT_SCOPES: Scope[] = ['videos:read', 'videos:write', 'files:write', 'webhooks:manage'];

export type Principal =
  | { kind: 'tenant'; tenantId: string; keyId: string; livemode: boolean; scopes: string[] }
  | { kind: 'operator'; operatorId: string };

declare module 'express-serve-static-core' {
  interface Request {
    user?: Principal;
  }
}
