import { defineErrors } from '../platform/http/error-catalogue.js';

export const peopleErrors = defineErrors('people', {
  link_invalid: { status: 400, when: 'the sign-in, sign-up or invitation token is unknown' },
  link_expired: { status: 410, when: 'the emailed link is past its lifetime; ask for a new one' },
  link_used: { status: 409, when: 'the emailed link was opened before (links are single use)' },
  link_other_browser: { status: 403, when: 'the emailed link is opened in a browser other than the one that asked for it' },
  signup_domain_refused: { status: 422, when: 'the email domain is refused for sign-up (disposable mail)' },
  signup_rate_limited: { status: 429, when: 'too many sign-ups from this address or this email domain in the last hour (`Retry-After`)' },
  sign_in_rate_limited: { status: 429, when: 'too many sign-in links asked for this address in the last hour (`Retry-After`)' },
  already_registered: { status: 409, when: 'signing up with an address that already has an account (sign in instead)' },
  membership_not_found: { status: 404, when: 'no such member in this tenant' },
  last_owner: { status: 409, when: 'the change would leave the tenant without an owner' },
  owner_required: { status: 403, when: 'only an owner (in a session) may make, demote or remove an owner' },
  invitation_expired: { status: 410, when: 'the invitation is past its expiry' },
  invitation_used: { status: 409, when: 'the invitation was accepted or revoked before' },
  sso_not_configured: { status: 404, when: 'no single sign-on is configured for this tenant or email domain' },
  sso_domain_not_allowed: { status: 403, when: "the provider's user has an email outside the tenant's allowed domains (or unverified)" },
  sso_failed: { status: 400, when: "the provider's answer failed a check (state, PKCE, nonce, issuer, audience, signature) or the provider refused" },
  sso_required: { status: 403, when: 'the tenant requires single sign-on: email links and non-SSO sessions do not reach it' },
  already_member: { status: 409, when: 'inviting an address that is a member already' },
});
