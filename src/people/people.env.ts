import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

const domainList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    );

export const peopleEnv = defineEnv(
  'people',
  {
    /** Drops `Secure` from the session cookies so a browser keeps them over plain http on a non-loopback host (development only). */
    SESSION_COOKIE_INSECURE: bool(false),
    /** A session unused this long ends (sliding: every request moves it on). */
    SESSION_IDLE_MINUTES: int(12 * 60, 5, 30 * 24 * 60),
    /** A session ends this long after sign-in however much it is used. */
    SESSION_MAX_HOURS: int(7 * 24, 1, 90 * 24),
    /** How long an emailed sign-in or sign-up link works. */
    SIGN_IN_LINK_MINUTES: int(15, 1, 24 * 60),
    /** The page emailed links open (the console's, which posts the token to /v1/auth/verify); relative to PUBLIC_BASE_URL unless absolute. */
    SIGN_IN_LINK_PATH: z.string().default('/console/verify'),
    /** Sign-ups one email address may start per hour. */
    SIGNUP_PER_ADDRESS_PER_HOUR: int(3, 1, 1_000),
    /** Sign-ups all addresses of one email domain may start per hour. */
    SIGNUP_PER_DOMAIN_PER_HOUR: int(20, 1, 1_000_000),
    /** Sign-in links one address may ask for per hour (the rest are refused without mail). */
    SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR: int(10, 1, 1_000),
    /** Email domains refused at sign-up (disposable mail), comma-separated; subdomains are refused with them. */
    SIGNUP_REFUSED_DOMAINS: domainList('mailinator.com,guerrillamail.com,10minutemail.com,tempmail.com,yopmail.com,trashmail.com,sharklasers.com'),
    /** Where the browser lands after a single sign-on (relative to PUBLIC_BASE_URL unless absolute). */
    SSO_DONE_PATH: z.string().default('/console/'),
    /** How long an enterprise claim link (an operator's handover of a provisioned tenant) can be accepted. */
    CLAIM_LINK_DAYS: int(7, 1, 90),
    /** DNS servers that answer the TXT lookups proving an SSO domain's ownership (`ip` or `ip:port`, comma-separated); empty: the system's. */
    DNS_SERVERS: domainList(''),
    /** How long one DNS lookup may take before it is tried again (twice in all). */
    DNS_TIMEOUT_MS: int(3_000, 100, 30_000),
    /** How long an invitation can be accepted. */
    INVITATION_DAYS: int(7, 1, 90),
  },
  { devOnly: ['SESSION_COOKIE_INSECURE'] },
);
