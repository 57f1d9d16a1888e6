import type { Request } from 'express';
import type { Principal } from '../core/auth/principal.js';

/** Who made a change, as the audit log records it. */
export interface Actor {
  type: 'operator' | 'tenant' | 'user' | 'system';
  /** The operator id, for a tenant the id of the API key that was used, for a user (a signed-in session) the user id. */
  id: string;
  requestId: string | null;
}

export function actorOf(req: Request): Actor {
  const p = req.user as Principal;
  if (p.kind === 'tenant' && p.session) return { type: 'user', id: p.session.personId, requestId: req.requestId ?? null };
  return { type: p.kind, id: p.kind === 'tenant' ? p.keyId : p.operatorId, requestId: req.requestId ?? null };
}
