import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DatapolisError } from '../kernel/errors.ts';

/**
 * Requests the platform makes on a user's behalf (harvesting a catalog URL, checking a distribution's
 * link) must not reach the machine's own network: a URL could otherwise probe internal services. Every
 * hop of a redirect is checked again.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export class OutboundRefusedError extends DatapolisError {
  constructor(message: string) {
    super('OUTBOUND_REFUSED', 400, message);
  }
}

async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefusedError(`Only http and https addresses are fetched, not ${url.protocol}.`);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  for (const { address, family } of addresses) {
    if (PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4'))
      throw new OutboundRefusedError(
        `${url.host} is a private or local address; the platform does not fetch those.`,
      );
  }
}

/** fetch() for user-given URLs: public addresses only (unless allowed), at most 5 redirects, each checked. */
export async function fetchOutbound(
  input: string,
  init: { method?: string; timeoutMs: number; allowPrivate: boolean },
): Promise<Response> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundRefusedError(`"${input}" is not a URL.`);
  }
  for (let hop = 0; hop <= 5; hop += 1) {
    await checkTarget(url, init.allowPrivate);
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel();
    url = new URL(location, url);
  }
  throw new OutboundRefusedError(`${input} redirects more than 5 times.`);
}

/** The body as text, refusing more than `maxBytes` whether or not the server announced the length. */
export async function readTextCapped(response: Response, maxBytes: number): Promise<string> {
  const announced = Number(response.headers.get('content-length') ?? '0');
  if (announced > maxBytes)
    throw new DatapolisError('OUTBOUND_TOO_LARGE', 413, `The document is larger than ${maxBytes} bytes.`);
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DatapolisError('OUTBOUND_TOO_LARGE', 413, `The document is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
