import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of the enterprise handover routes. */
export const claimLinksDocs = {
  adminCreateClaimLink: {
    summary: "Hand a provisioned tenant over: a one-time claim link for the customer's first owner",
    operationId: 'adminCreateClaimLink',
    description:
      "Mails a single-use link to `email` (through the outbox) and answers it once in `url`; only its hash is kept. Opening it makes that address the tenant's owner (or `role`), with the tenant's first keys shown in their own session, instead of key secrets handed over as JSON. Expires after CLAIM_LINK_DAYS.",
  },
  adminListClaimLinks: {
    summary: "A tenant's claim links",
    operationId: 'adminListClaimLinks',
    description: 'Newest first, with their status (pending, accepted, revoked, expired); never the link itself.',
  },
  adminRevokeClaimLink: {
    summary: 'Withdraw a claim link',
    operationId: 'adminRevokeClaimLink',
    description: 'Its link stops working (409 `claim_link_used`).',
  },
  acceptClaimLink: {
    summary: 'Accept a claim link: take over the tenant and start a session',
    operationId: 'acceptClaimLink',
    description:
      "The token of the mailed claim link. Makes the user (if new: the link proves the address), the membership with the link's role, a test and a live key when the tenant has none of a mode (secrets in `api_keys`, shown once), and a session (cookies as /v1/auth/verify). 409 `claim_link_used`, 410 `claim_link_expired`.",
  },
} satisfies Record<string, ApiOperationOptions>;
