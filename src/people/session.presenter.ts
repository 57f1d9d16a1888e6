import type { Session } from './session.entity.js';
import type { SessionObject } from './dto/session.object.js';

export interface SessionView {
  email: string | null;
  role: string | null;
  memberships: { tenant_id: string; role: string }[];
  currentId?: string;
}

export const presentSession = (s: Session, v: SessionView): SessionObject => ({
  id: s.id,
  object: 'session',
  user_id: s.userId,
  operator_id: s.operatorId,
  email: v.email,
  tenant_id: s.tenantId,
  role: v.role,
  memberships: v.memberships,
  method: s.method,
  current: s.id === v.currentId,
  user_agent: s.userAgent,
  created_at: s.createdAt.toISOString(),
  last_seen_at: s.lastSeenAt.toISOString(),
  idle_expires_at: s.idleExpiresAt.toISOString(),
  absolute_expires_at: s.absoluteExpiresAt.toISOString(),
});
