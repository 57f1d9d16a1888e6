/** People: users, their memberships and roles in tenants, sign-up and sign-in by emailed link, OIDC single sign-on (per tenant, on DNS-proven domains, and for operators), enterprise claim links, sign-in events in the audit log, and browser sessions (cookie + CSRF) that reach the same permission checks as keys. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './people.module.js';
export * from './roles.js';
export * from './people-entities.js';
