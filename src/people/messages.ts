import { appEnv } from '../platform/config/app.env.js';
import type { Message } from '../mail/index.js';
import { peopleEnv } from './people.env.js';

/** The absolute URL of an emailed link: the console page that posts `token` to the API. */
export function linkUrl(token: string, path = peopleEnv.get().SIGN_IN_LINK_PATH): string {
  const base = /^https?:\/\//.test(path) ? path : `${appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `http://127.0.0.1:${appEnv.get().PORT}`}${path}`;
  return `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function message(to: string, subject: string, lead: string, url: string, minutes: number): Message {
  const after = `The link works once, for ${minutes} minutes, in the browser you asked from. If you did not ask for it, ignore this message.`;
  return {
    to,
    subject,
    text: `${lead}\n\n${url}\n\n${after}\n`,
    html: `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p><p>${escapeHtml(after)}</p>`,
  };
}

export const signUpMessage = (to: string, token: string) =>
  message(
    to,
    'Confirm your email to create your Leoma account',
    'Open this link to confirm your email address and create your account:',
    linkUrl(token),
    peopleEnv.get().SIGN_IN_LINK_MINUTES,
  );

export const signInMessage = (to: string, token: string) =>
  message(to, 'Your Leoma sign-in link', 'Open this link to sign in to Leoma:', linkUrl(token), peopleEnv.get().SIGN_IN_LINK_MINUTES);

export const operatorSignInMessage = (to: string, token: string) =>
  message(to, 'Your Leoma operator sign-in link', 'Open this link to sign in to the Leoma back office:', linkUrl(token), peopleEnv.get().SIGN_IN_LINK_MINUTES);

export function invitationMessage(to: string, tenantName: string, role: string, token: string): Message {
  const days = peopleEnv.get().INVITATION_DAYS;
  const url = linkUrl(token, peopleEnv.get().SIGN_IN_LINK_PATH.replace(/verify$/, 'accept'));
  const lead = `You are invited to join ${tenantName} on Leoma as ${role}. Open this link to accept:`;
  const after = `The invitation works once and expires in ${days} days.`;
  return {
    to,
    subject: `You are invited to ${tenantName} on Leoma`,
    text: `${lead}\n\n${url}\n\n${after}\n`,
    html: `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p><p>${escapeHtml(after)}</p>`,
  };
}

/** The console page that posts a claim link's token to /v1/claim-links/{token}/accept. */
export const claimUrl = (token: string) => linkUrl(token, peopleEnv.get().SIGN_IN_LINK_PATH.replace(/verify$/, 'claim'));

export function claimLinkMessage(to: string, tenantName: string, role: string, token: string): Message {
  const days = peopleEnv.get().CLAIM_LINK_DAYS;
  const url = claimUrl(token);
  const lead = `Your Leoma account ${tenantName} is ready. Open this link to take it over as its ${role} and get your API keys:`;
  const after = `The link works once and expires in ${days} days. If you did not expect it, ignore this message.`;
  return {
    to,
    subject: `Your Leoma account ${tenantName} is ready`,
    text: `${lead}\n\n${url}\n\n${after}\n`,
    html: `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p><p>${escapeHtml(after)}</p>`,
  };
}
