import * as client from 'openid-client';
import type { OidcConfig } from '../../kernel/config/index.ts';
import { DatapolisError, UnauthenticatedError } from '../../kernel/errors.ts';

export interface OidcClaims {
  subject: string;
  preferredUsername: string | undefined;
  name: string | undefined;
  email: string | undefined;
}

export interface OidcStart {
  redirectTo: string;
  /** Kept by the browser (HttpOnly cookie) until the callback: no server memory is needed between the two. */
  pending: string;
}

// Plain http is accepted only for an identity provider on this machine (development, tests).
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;

/** OpenID Connect authorization-code flow with PKCE, state and nonce. */
export function createOidcSignIn(config: OidcConfig) {
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    const issuer = new URL(config.issuer);
    discovered ??= client
      .discovery(
        issuer,
        config.clientId,
        config.clientSecret,
        undefined,
        isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new DatapolisError(
          'OIDC_UNAVAILABLE',
          503,
          `The identity provider cannot be reached: ${(error as Error).message}`,
        );
      });
    return discovered;
  }

  async function start(): Promise<OidcStart> {
    const settings = await configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(settings, {
      redirect_uri: config.redirectUrl,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return {
      redirectTo: url.href,
      pending: Buffer.from(JSON.stringify({ verifier, state, nonce })).toString('base64url'),
    };
  }

  async function finish(pending: string | undefined, query: string): Promise<OidcClaims> {
    if (pending === undefined) {
      throw new UnauthenticatedError(
        'The sign-in took too long or started elsewhere; start again.',
        'OIDC_STATE_MISSING',
      );
    }
    let checks: { verifier: string; state: string; nonce: string };
    try {
      checks = JSON.parse(Buffer.from(pending, 'base64url').toString()) as typeof checks;
    } catch {
      throw new UnauthenticatedError('The sign-in state is damaged; start again.', 'OIDC_STATE_MISSING');
    }
    const settings = await configuration();
    const current = new URL(config.redirectUrl);
    current.search = query;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(settings, current, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new UnauthenticatedError(
        `The identity provider's answer was refused: ${(error as Error).message}`,
        'OIDC_FAILED',
      );
    }
    const claims = tokens.claims();
    if (claims === undefined)
      throw new UnauthenticatedError('The identity provider sent no ID token.', 'OIDC_FAILED');
    // Providers may keep profile claims out of the ID token; the UserInfo endpoint has them.
    let profile: Record<string, unknown> = claims;
    if (claims.name === undefined && claims.preferred_username === undefined) {
      try {
        profile = { ...(await client.fetchUserInfo(settings, tokens.access_token, claims.sub)), ...claims };
      } catch {
        // A name is a convenience; the subject alone is enough to sign in.
      }
    }
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    return {
      subject: `${claims.iss}|${claims.sub}`,
      preferredUsername: text(profile.preferred_username),
      name: text(profile.name),
      email: text(profile.email),
    };
  }

  return { start, finish };
}
