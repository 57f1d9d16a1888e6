import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface TestOidcProvider {
  /** The issuer: what the provider names itself in discovery and in its ID tokens. */
  issuer: string;
  /** Where it listens (the issuer unless started with `claimIssuer`). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The account (its email) the next sign-in on the provider's page logs in as, with any further claims (e.g. `groups`). */
  signInAs(email: string, claims?: Record<string, unknown>): void;
  /** Changes the ID token of the next token response (signed again with the provider's own key, so only the change is wrong). */
  tamperNextIdToken(change: (claims: Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 for the SSO tests: PKCE required, one
 * confidential client, any account "signs in" as told by `signInAs` (the interaction finishes at
 * once and consent is granted). `claimIssuer` makes it name another issuer than its URL (a wrong
 * issuer). Token responses pass through a hook that may change the ID token and re-sign it with the
 * provider's key, so the audience check is what refuses it, not the signature.
 */
export async function startOidcProvider(opts: {
  /** A function when they are known only later (the app under test is started with the provider's URL). */
  redirectUris: string[] | (() => string[]);
  claimIssuer?: string;
}): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let account = 'nobody@example.com';
  const extraClaims = new Map<string, Record<string, unknown>>();
  let tamper: ((claims: Record<string, unknown>) => void) | undefined;

  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = opts.claimIssuer ?? url;
  const clientId = 'leoma-test';
  const clientSecret = 'leoma-test-secret-0123456789abcdef';
  // Made at the first request, so the redirect URIs may name an app started after the provider.
  const makeProvider = () =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: typeof opts.redirectUris === 'function' ? opts.redirectUris() : opts.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      pkce: { required: () => true },
      claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'] },
      features: { devInteractions: { enabled: false } },
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub, email_verified: true, ...extraClaims.get(sub) }) }),
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      async loadExistingGrant(ctx) {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email');
        await grant.save();
        return grant;
      },
    });
  let provider: Provider | undefined;
  let handle: ReturnType<Provider['callback']> | undefined;
  server.on('request', async (req, res) => {
    if (!provider) {
      provider = makeProvider();
      handle = provider.callback();
    }
    if (req.url?.startsWith('/interaction/')) {
      await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
      return;
    }
    if (req.url === '/token' && tamper) {
      const change = tamper;
      tamper = undefined;
      const body = await readBody(req);
      const answer = await fetch(`${url}/token`, { method: 'POST', headers: forwardHeaders(req), body });
      const json = (await answer.json()) as Record<string, unknown>;
      if (typeof json.id_token === 'string') json.id_token = await resign(json.id_token, change, jwk);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      return;
    }
    handle!(req, res);
  });
  return {
    issuer,
    url,
    clientId,
    clientSecret,
    signInAs: (email, claims) => {
      account = email;
      if (claims) extraClaims.set(email, claims);
    },
    tamperNextIdToken: (change) => {
      tamper = change;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const forwardHeaders = (req: IncomingMessage) =>
  Object.fromEntries(['authorization', 'content-type', 'accept'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : [])));

async function resign(token: string, change: (claims: Record<string, unknown>) => void, jwk: JWK): Promise<string> {
  const claims = decodeJwt(token) as Record<string, unknown>;
  change(claims);
  const header = decodeProtectedHeader(token);
  return new SignJWT(claims).setProtectedHeader({ alg: header.alg!, kid: header.kid, typ: header.typ }).sign(await importJWK(jwk, 'RS256'));
}
