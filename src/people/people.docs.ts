import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each sign-in and session route, kept here so the controllers read as lists of routes. */
export const peopleDocs = {
  signUp: {
    summary: 'Sign up: email a verification link',
    operationId: 'signUp',
    description:
      'Emails a link that creates the account when opened in this browser (the response sets the `leoma_link` cookie that binds it): the user, a tenant on the free plan, a test key and a live key. Nothing is created before. Throttled per address and per email domain; disposable domains are refused.',
  },
  requestEmailLink: {
    summary: 'Sign in: email a sign-in link',
    operationId: 'requestEmailLink',
    description:
      'Emails a single-use sign-in link to a known address, bound to this browser by the `leoma_link` cookie. Answers the same for an unknown address (nothing is sent), so the route reveals no accounts.',
  },
  requestOperatorLink: {
    summary: 'Operators: email a sign-in link',
    operationId: 'requestOperatorEmailLink',
    description:
      "Staff sign in as people: a link to an enabled operator address opens an operator session with that operator's role (admin, sales, finance, support) on the admin API. Answers alike for any address.",
  },
  verifyLink: {
    summary: 'Open an emailed link: start a session',
    operationId: 'verifyLink',
    description:
      'Exchanges the token of a sign-up or sign-in link for a session, in the browser that asked for the link. Sets the HttpOnly `leoma_session` cookie and the `leoma_csrf` cookie; any session cookie the browser had is revoked (rotation). After a sign-up the answer holds the new keys, secrets shown once.',
  },
  getSession: {
    summary: 'The current session',
    operationId: 'getSession',
    description: 'Who is signed in, the tenant the session acts in, the role there and every membership.',
  },
  signOut: { summary: 'Sign out', operationId: 'signOut', description: 'Revokes this session and clears its cookies.' },
  switchTenant: {
    summary: 'Act in another tenant',
    operationId: 'switchSessionTenant',
    description: 'Moves this session to another tenant the user is a member of.',
  },
  listSessions: {
    summary: "The signed-in person's sessions",
    operationId: 'listSessions',
    description: 'Every live session of the signed-in user or operator, newest first.',
  },
  revokeSession: {
    summary: 'End one of your sessions',
    operationId: 'revokeSession',
    description: 'Revokes a session of the signed-in person (a browser left signed in elsewhere).',
  },
} satisfies Record<string, ApiOperationOptions>;
