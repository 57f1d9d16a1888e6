import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each members and invitations route. */
export const membersDocs = {
  listMembers: {
    summary: "The tenant's members and their roles",
    operationId: 'listMembers',
    description: 'Needs scope `members:manage` (owners and admins).',
  },
  changeMemberRole: {
    summary: "Change a member's role",
    operationId: 'changeMemberRole',
    description:
      "Takes effect on the member's next request in every session. Only an owner (signed in) may make or demote an owner, and a tenant keeps at least one (409 `last_owner`).",
  },
  removeMember: {
    summary: 'Remove a member',
    operationId: 'removeMember',
    description: 'Their sessions in this tenant end at once. Keys they created stay, owned by the tenant (`created_by` names them).',
  },
  inviteMember: {
    summary: 'Invite someone by email',
    operationId: 'inviteMember',
    description: 'Emails a single-use link that expires after INVITATION_DAYS.',
  },
  listInvitations: { summary: 'Pending invitations', operationId: 'listInvitations', description: 'Invitations neither accepted nor revoked.' },
  revokeInvitation: { summary: 'Withdraw an invitation', operationId: 'revokeInvitation', description: 'Its link stops working.' },
  acceptInvitation: {
    summary: 'Accept an invitation: become a member and start a session',
    operationId: 'acceptInvitation',
    description: 'The token of the emailed invitation link; sets the session cookies like /v1/auth/verify. 409 `invitation_used`, 410 `invitation_expired`.',
  },
} satisfies Record<string, ApiOperationOptions>;
