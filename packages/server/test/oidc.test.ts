import { type AddressInfo, createServer } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const REDIRECT = 'http://127.0.0.1:8080/api/v1/auth/oidc/callback';

/** Follows the identity provider's redirects, with its cookies, until it sends the browser back to us. */
async function signInAtProvider(start: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
    const location = response.headers.get('location');
    if (location === null)
      throw new Error(`The identity provider stopped at ${url}: ${response.status} ${await response.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(REDIRECT)) return next;
    url = next.href;
  }
  throw new Error('The identity provider never redirected back.');
}

describe('OpenID Connect sign-in', () => {
  it('is off by default', async () => {
    const t = await startTestPlatform();
    try {
      const session = await t.platform.app.inject({ url: '/api/v1/auth/session' });
      expect(session.json().oidcEnabled).toBe(false);
      const login = await t.platform.app.inject({ url: '/api/v1/auth/oidc/login' });
      expect(login.statusCode).toBe(404);
      expect(login.json().code).toBe('OIDC_DISABLED');
    } finally {
      await t.close();
    }
  });

  describe('when configured', () => {
    let provider: Provider;
    let server: ReturnType<Provider['listen']>;
    let t: TestPlatform;

    beforeAll(async () => {
      const port = await freePort();
      provider = new Provider(`http://127.0.0.1:${port}`, {
        clients: [
          {
            client_id: 'datapolis',
            client_secret: 'a-test-client-secret',
            redirect_uris: [REDIRECT],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
        findAccount: async (_ctx, sub) => ({
          accountId: sub,
          claims: async () => ({
            sub,
            preferred_username: 'wang.wei',
            name: '王伟',
            email: 'wang.wei@example.org',
          }),
        }),
      });
      // The person signs in and consents at the provider: its interaction step, done as the provider's
      // documented API does it, instead of filling in its development forms.
      provider.use(async (ctx, next) => {
        if (!/^\/interaction\/[^/]+$/.test(ctx.path)) return next();
        const details = await provider.interactionDetails(ctx.req, ctx.res);
        const grant = new provider.Grant({
          accountId: 'citizen-42',
          clientId: String(details.params.client_id),
        });
        grant.addOIDCScope('openid profile email');
        const grantId = await grant.save();
        await provider.interactionFinished(
          ctx.req,
          ctx.res,
          { login: { accountId: 'citizen-42' }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
        ctx.respond = false;
      });
      server = provider.listen(port, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      t = await startTestPlatform({
        DATAPOLIS_OIDC_ISSUER: `http://127.0.0.1:${port}`,
        DATAPOLIS_OIDC_CLIENT_ID: 'datapolis',
        DATAPOLIS_OIDC_CLIENT_SECRET: 'a-test-client-secret',
        DATAPOLIS_OIDC_REDIRECT_URL: REDIRECT,
      });
    });
    afterAll(async () => {
      await t?.close();
      server?.close();
    });

    it('signs a new person in, creates their account without roles, and logs it', async () => {
      const start = await t.platform.app.inject({ url: '/api/v1/auth/oidc/login' });
      expect(start.statusCode).toBe(302);
      const pending = start.cookies.find((c) => c.name === 'dp_oidc')!;
      expect(pending.httpOnly).toBe(true);
      const back = await signInAtProvider(start.headers.location as string);
      const callback = await t.platform.app.inject({
        url: `/api/v1/auth/oidc/callback${back.search}`,
        headers: { cookie: `dp_oidc=${pending.value}` },
      });
      expect(callback.statusCode, callback.body).toBe(302);
      const cookie = callback.cookies.find((c) => c.name === 'dp_session')!;
      const session = (
        await t.platform.app.inject({
          url: '/api/v1/auth/session',
          headers: { cookie: `dp_session=${cookie.value}` },
        })
      ).json();
      expect(session).toMatchObject({
        authenticated: true,
        oidcEnabled: true,
        user: { username: 'wang.wei', displayName: '王伟', platformRoles: [] },
      });
      const { items } = await t.platform.ledger.listEntries(0, 2, 'desc');
      expect(items.map((e) => JSON.parse(e.entry).action)).toEqual([
        'identity.session.created',
        'identity.user.created',
      ]);
    });

    it('refuses a callback without the pending sign-in or with a forged code', async () => {
      const noState = await t.platform.app.inject({ url: '/api/v1/auth/oidc/callback?code=x&state=y' });
      expect(noState.statusCode).toBe(401);
      expect(noState.json().code).toBe('OIDC_STATE_MISSING');
      const start = await t.platform.app.inject({ url: '/api/v1/auth/oidc/login' });
      const pending = start.cookies.find((c) => c.name === 'dp_oidc')!;
      const forged = await t.platform.app.inject({
        url: '/api/v1/auth/oidc/callback?code=forged&state=wrong',
        headers: { cookie: `dp_oidc=${pending.value}` },
      });
      expect(forged.statusCode).toBe(401);
      expect(forged.json().code).toBe('OIDC_FAILED');
    });
  });
});
