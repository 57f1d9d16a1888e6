import type { Request } from 'express';
import type { Principal } from '../core/auth/principal.js';

/** Who made a change, as the audit log records it. */
export interface Actor {
  type: 'operator' | 'tenant' | 'system';
  /** The operator id, or for a tenant the id of the API key that was used. */
  id: string;
  requestId: string | null;
}

export function actorOf(req: Request): Actor {
  const p = req.user as Principal;
  return { type: p.kind, id: p.kind === 'tenant' ? p.keyId : p.operatorId, requestId: req.requestId ?? null };
}
