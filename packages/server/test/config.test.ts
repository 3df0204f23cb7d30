import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/kernel/config/index.ts';
import { ConfigError } from '../src/kernel/errors.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({}, '/srv/datapolis');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/datapolis/.data',
      databaseUrl: undefined,
      demo: true,
      mail: { smtpUrl: undefined, from: 'Datapolis <no-reply@datapolis.local>' },
      accessReviewDays: 10,
    });
  });

  it.each([
    [{ DATAPOLIS_PORT: 'abc' }, 'DATAPOLIS_PORT'],
    [{ DATAPOLIS_PORT: '70000' }, 'DATAPOLIS_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATAPOLIS_LOG_LEVEL: 'loud' }, 'DATAPOLIS_LOG_LEVEL'],
    [{ DATAPOLIS_DEMO: 'perhaps' }, 'DATAPOLIS_DEMO'],
    [{ DATAPOLIS_DEMO_CATALOG: 'perhaps' }, 'DATAPOLIS_DEMO_CATALOG'],
    [{ DATAPOLIS_PUBLIC_URL: 'data.city.example' }, 'DATAPOLIS_PUBLIC_URL'],
    [{ DATAPOLIS_OUTBOUND_ALLOW_PRIVATE: 'maybe' }, 'DATAPOLIS_OUTBOUND_ALLOW_PRIVATE'],
    [{ DATAPOLIS_DEMO_PASSWORD: 'short' }, 'DATAPOLIS_DEMO_PASSWORD'],
    [{ DATAPOLIS_LEDGER_SIGNING_KEY: 'not a key' }, 'DATAPOLIS_LEDGER_SIGNING_KEY'],
    [{ DATAPOLIS_OIDC_ISSUER: 'https://id.example.org' }, 'DATAPOLIS_OIDC_CLIENT_ID'],
    [{ DATAPOLIS_SMTP_URL: 'mail.example.org:25' }, 'DATAPOLIS_SMTP_URL'],
    [{ DATAPOLIS_MAIL_FROM: 'nobody' }, 'DATAPOLIS_MAIL_FROM'],
    [{ DATAPOLIS_ACCESS_REVIEW_DAYS: '0' }, 'DATAPOLIS_ACCESS_REVIEW_DAYS'],
  ])('stops on %o with one message naming the variable', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never repeats an SMTP password in its message', () => {
    expect(() => loadConfig({ DATAPOLIS_SMTP_URL: 'http://mailer:s3cret-pass@mail.example.org' })).toThrow(
      /^(?!.*s3cret-pass).*DATAPOLIS_SMTP_URL/,
    );
  });
});
