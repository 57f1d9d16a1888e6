import type { Member } from './members.service.js';
import type { Invitation } from './invitation.entity.js';
import type { InvitationObject, MemberObject } from './dto/members.dto.js';

export const presentMember = ({ membership: m, email }: Member): MemberObject => ({
  id: m.userId,
  object: 'member',
  tenant_id: m.tenantId,
  email,
  role: m.role,
  created_at: m.createdAt.toISOString(),
});

export const presentInvitation = (i: Invitation): InvitationObject => ({
  id: i.id,
  object: 'invitation',
  tenant_id: i.tenantId,
  email: i.email,
  role: i.role,
  invited_by: i.invitedBy,
  expires_at: i.expiresAt.toISOString(),
  accepted_at: i.acceptedAt?.toISOString() ?? null,
  revoked_at: i.revokedAt?.toISOString() ?? null,
  created_at: i.createdAt.toISOString(),
});
