import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import { BrowserSession } from './browser-session.js';
import { linkToken, type Mailbox } from '../../tools/dev/mailbox.js';

/** Env that points the worker's mail relay at a test mailbox. */
export const mailEnv = (mailbox: Mailbox) => ({ SMTP_HOST: mailbox.host, SMTP_PORT: String(mailbox.port), MAIL_RELAY_INTERVAL_MS: '50' });

export interface SignedUp {
  browser: BrowserSession;
  tenantId: string;
  userId: string;
  keys: { mode: string; secret: string }[];
}

/** A stranger signs up through the emailed link (real SMTP) and owns a new free tenant. */
export async function signUpOwner(app: TestApp, mailbox: Mailbox, email: string): Promise<SignedUp> {
  const browser = new BrowserSession(app);
  expect((await browser.request('/v1/signup', { method: 'POST', json: { email, organization: email } })).status).toBe(202);
  const mail = await mailbox.waitFor((m) => m.to.includes(email) && /Confirm your email/.test(m.subject));
  const res = await browser.request('/v1/auth/verify', { method: 'POST', json: { token: linkToken(mail) } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { tenant_id: string; user_id: string; api_keys: { mode: string; secret: string }[] };
  return { browser, tenantId: body.tenant_id, userId: body.user_id, keys: body.api_keys };
}

/** `owner` invites `email` with `role`; the invitee accepts in a browser of their own. */
export async function inviteAndAccept(
  owner: BrowserSession,
  mailbox: Mailbox,
  email: string,
  role: string,
): Promise<{ browser: BrowserSession; userId: string }> {
  const invited = await owner.request('/v1/invitations', { method: 'POST', json: { email, role } });
  expect(invited.status).toBe(201);
  const { id } = (await invited.json()) as { id: string };
  const mail = await mailbox.waitFor((m) => m.to.includes(email) && /invited/.test(m.subject) && m.messageId !== '' && m.text.includes('token='));
  const browser = new BrowserSession(owner.app);
  const res = await browser.request('/v1/invitations/accept', { method: 'POST', json: { token: linkToken(mail) } });
  expect(res.status, id).toBe(200);
  return { browser, userId: ((await res.json()) as { user_id: string }).user_id };
}
