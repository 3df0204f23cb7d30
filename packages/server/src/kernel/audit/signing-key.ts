import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, keyId, publicKeySpkiBase64 } from '@datapolis/ledger';
import { ConfigError } from '../errors.ts';

export interface SigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
  publicKeySpki: string;
}

export const SIGNING_KEY_FILE = 'ledger-signing-key.pem';

function fromPrivatePem(privateKeyPem: string, origin: string): SigningKey {
  let publicKeyPem: string;
  try {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key`);
    publicKeyPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw new ConfigError(
      `The ledger signing key from ${origin} is not an Ed25519 private key: ${(error as Error).message}.`,
    );
  }
  return {
    privateKeyPem,
    publicKeyPem,
    keyId: keyId(publicKeyPem),
    publicKeySpki: publicKeySpkiBase64(publicKeyPem),
  };
}

/** The key from configuration, else the one in the data dir, else a new one written there (mode 0600). */
export function loadOrCreateSigningKey(configuredPem: string | undefined, dataDir: string): SigningKey {
  if (configuredPem !== undefined) return fromPrivatePem(configuredPem, 'DATAPOLIS_LEDGER_SIGNING_KEY');
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (existsSync(file)) return fromPrivatePem(readFileSync(file, 'utf8'), file);
  mkdirSync(dataDir, { recursive: true });
  const generated = generateSigningKey();
  writeFileSync(file, generated.privateKeyPem, { mode: 0o600, flag: 'wx' });
  return fromPrivatePem(generated.privateKeyPem, file);
}
