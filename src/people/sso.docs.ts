import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of the SSO domain and operator sign-on routes. */
export const ssoDocs = {
  listSsoDomains: {
    summary: "The tenant's SSO email domains and their proof",
    operationId: 'listSsoDomains',
    description: 'Each domain with the TXT record that proves it is yours, and whether it was found.',
  },
  addSsoDomain: {
    summary: 'Claim an email domain for single sign-on',
    operationId: 'addSsoDomain',
    description:
      "Answers the TXT record to publish at the domain (`leoma-verification=<token>`). Until it is verified, the domain's users do not join just in time (403 `sso_domain_unverified`) and their addresses do not lead to this tenant's sign-on. Adding it again answers the same token.",
  },
  getSsoDomain: { summary: 'One SSO domain and its TXT record', operationId: 'getSsoDomain', description: 'The token to publish and the state of the proof.' },
  verifySsoDomain: {
    summary: 'Check the domain’s TXT record now',
    operationId: 'verifySsoDomain',
    description:
      "Looks the domain's TXT records up (through DNS_SERVERS) and marks it verified when one is exactly `leoma-verification=<token>`; 422 `domain_verification_failed` says what was found otherwise.",
  },
  removeSsoDomain: {
    summary: 'Drop an SSO domain claim',
    operationId: 'removeSsoDomain',
    description: 'Its users stop joining just in time (members stay members).',
  },
  startOperatorSso: {
    summary: 'Operators: start single sign-on',
    operationId: 'startOperatorSso',
    description:
      "Answers the operator organisation's provider sign-in URL (OPERATOR_SSO_* settings), with PKCE, state and nonce, bound to this browser. The person's verified address must be at OPERATOR_SSO_ALLOWED_DOMAIN and their role claim must map to an operator role; the operator is made, or given that role, as they arrive.",
  },
} satisfies Record<string, ApiOperationOptions>;
