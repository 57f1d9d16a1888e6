import { z } from 'zod';
import { defineEnv } from '../platform/config/define-env.js';
import { OPERATOR_ROLES, type OperatorRole } from '../core/auth/operator-roles.js';

/** `group:role,group:role`: which value of the role claim makes which operator role, the first match winning. */
const roleMap = z
  .string()
  .default('')
  .transform((v, ctx) =>
    v
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.lastIndexOf(':');
        const role = pair.slice(at + 1).trim();
        if (at < 1 || !(OPERATOR_ROLES as readonly string[]).includes(role)) {
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not <claim value>:<admin|sales|finance|support>` });
        }
        return { value: pair.slice(0, at).trim(), role: role as OperatorRole };
      }),
  );

export const operatorSsoEnv = defineEnv(
  'operator-sso',
  {
    /** The operator organisation's OpenID provider; unset, operators sign in by email link (and keys) only. */
    OPERATOR_SSO_ISSUER: z.string().url().optional(),
    OPERATOR_SSO_CLIENT_ID: z.string().optional(),
    OPERATOR_SSO_CLIENT_SECRET: z.string().optional(),
    /** The email domain staff addresses must have (with the provider saying it is verified). */
    OPERATOR_SSO_ALLOWED_DOMAIN: z.string().toLowerCase().optional(),
    /** The claim (ID token or userinfo) whose values name the operator's role: a string or a list of strings, e.g. groups. */
    OPERATOR_SSO_ROLE_CLAIM: z.string().default('groups'),
    /** Claim value → operator role, e.g. `leoma-admins:admin,leoma-sales:sales`; a person matching none is refused. */
    OPERATOR_SSO_ROLE_MAP: roleMap,
    /** Where an operator's browser lands after single sign-on (relative to PUBLIC_BASE_URL unless absolute). */
    OPERATOR_SSO_DONE_PATH: z.string().default('/console/'),
  },
  { secrets: ['OPERATOR_SSO_CLIENT_SECRET'] },
);
