import type { ClaimLink } from './claim-link.entity.js';
import type { ClaimLinkObject } from './dto/claim-links.dto.js';

const statusOf = (l: ClaimLink): ClaimLinkObject['status'] =>
  l.acceptedAt ? 'accepted' : l.revokedAt ? 'revoked' : l.expiresAt.getTime() <= Date.now() ? 'expired' : 'pending';

export const presentClaimLink = (l: ClaimLink): ClaimLinkObject => ({
  id: l.id,
  object: 'claim_link',
  tenant_id: l.tenantId,
  email: l.email,
  role: l.role,
  created_by: l.createdBy,
  status: statusOf(l),
  expires_at: l.expiresAt.toISOString(),
  accepted_at: l.acceptedAt?.toISOString() ?? null,
  accepted_by: l.acceptedBy,
  revoked_at: l.revokedAt?.toISOString() ?? null,
  created_at: l.createdAt.toISOString(),
});
