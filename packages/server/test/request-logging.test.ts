// The request's logger and its access line: written as pino writes them, made only when used.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { cookieValue } from '../src/kernel/http/index.ts';
import {
  type AccessLine,
  accessLineWriter,
  lazyChildLoggerFactory,
} from '../src/kernel/http/request-logging.ts';

/** A logger whose every write lands in `written`, with a fixed time so that two lines can be compared. */
function capture(options: pino.LoggerOptions = {}): { logger: Logger; written: string[] } {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  // A sink that takes strings as they are: pino writes each line in one call.
  const stream = { write: (line: string) => sink.write(line) };
  return { logger: pino({ level: 'info', timestamp: () => ',"time":1', ...options }, stream), written };
}

const lines: AccessLine[] = [
  { reqId: 'r-1', method: 'GET', url: '/api/v1/health', statusCode: 200, ms: 0.42, actor: 'anonymous' },
  {
    reqId: 'r-2',
    method: 'POST',
    url: '/api/v1/nope?q="x"&k=\\名\n\u0001\u2028',
    statusCode: 404,
    ms: 12,
    actor: undefined,
  },
  {
    reqId: 'a'.repeat(64),
    method: 'DELETE',
    url: `/api/v1/${'长'.repeat(300)}`,
    statusCode: 500,
    ms: 1234.5,
    actor: '7c4c1f5e-3b5e-4a51-9a51-0c2f6d0e6d10',
  },
];

describe('the access line', () => {
  it('is byte for byte the line pino writes for the same fields', () => {
    const fast = capture();
    const slow = capture();
    const write = accessLineWriter(fast.logger);
    for (const line of lines) {
      write(fast.logger, line);
      slow.logger.child({}, { redact: { paths: [] } }).info({ ...line }, 'request');
    }
    expect(fast.written).toHaveLength(lines.length);
    expect(fast.written).toEqual(slow.written);
    expect(JSON.parse(fast.written[1]!)).toMatchObject({ url: lines[1]!.url, level: 30, msg: 'request' });
  });

  it("carries the logger's bindings", () => {
    const { logger, written } = capture();
    const node = logger.child({ node: 'api-2' });
    accessLineWriter(node)(node, lines[0]!);
    expect(JSON.parse(written[0]!)).toMatchObject({ node: 'api-2', reqId: 'r-1', pid: process.pid });
  });

  it('goes through pino itself for a logger it cannot reproduce (here, a mixin)', () => {
    const { logger, written } = capture({ mixin: () => ({ region: 'beijing' }) });
    accessLineWriter(logger)(logger, lines[0]!);
    expect(JSON.parse(written[0]!)).toMatchObject({ region: 'beijing', reqId: 'r-1', msg: 'request' });
  });

  it('is written only when the level of the logger it is given allows info, as it is now', () => {
    const { logger, written } = capture();
    const write = accessLineWriter(logger);
    logger.level = 'warn';
    write(logger, lines[0]!);
    expect(written).toEqual([]);
    logger.level = 'info';
    write(logger, lines[0]!);
    expect(written).toHaveLength(1);
  });
});

describe("a request's logger", () => {
  it('is made on first use, with the request id, and has its parent level until then', () => {
    const { logger, written } = capture();
    let made = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<Logger['child']>) => {
      made += 1;
      return child(...args);
    }) as Logger['child'];
    const requestLog = lazyChildLoggerFactory(logger, { reqId: 'q-1' }, {});
    expect(requestLog.isLevelEnabled('info')).toBe(true);
    expect(requestLog.isLevelEnabled('debug')).toBe(false);
    expect(requestLog.level).toBe('info');
    expect(made).toBe(0);
    requestLog.debug('not written');
    // A line under the level makes nothing.
    expect(made).toBe(0);
    requestLog.warn({ detail: 1 }, 'written');
    requestLog.error('also written');
    expect(made).toBe(1);
    expect(written.map((l) => JSON.parse(l))).toMatchObject([
      { reqId: 'q-1', level: 40, detail: 1, msg: 'written' },
      { reqId: 'q-1', level: 50, msg: 'also written' },
    ]);
  });

  it('is made at once when the route sets its own level, and keeps that level', () => {
    const { logger } = capture();
    const requestLog = lazyChildLoggerFactory(logger, { reqId: 'q-2' }, { level: 'debug' });
    expect(requestLog.isLevelEnabled('debug')).toBe(true);
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });
});

describe('the session cookie, read from the header', () => {
  it('is found among others, the first when repeated, decoded and unquoted as the cookie plugin does', () => {
    expect(cookieValue(undefined, 'dp_session')).toBeUndefined();
    expect(cookieValue('', 'dp_session')).toBeUndefined();
    expect(cookieValue('a=1; dp_session=abc-_9; b=2', 'dp_session')).toBe('abc-_9');
    expect(cookieValue('dp_session=first;dp_session=second', 'dp_session')).toBe('first');
    expect(cookieValue('x_dp_session=no; dp_session_old=no', 'dp_session')).toBeUndefined();
    expect(cookieValue(' dp_session = spaced ', 'dp_session')).toBe('spaced');
    expect(cookieValue('dp_session="quoted"', 'dp_session')).toBe('quoted');
    expect(cookieValue('dp_session=a%20b', 'dp_session')).toBe('a b');
    expect(cookieValue('dp_session=%E0%A4%A', 'dp_session')).toBe('%E0%A4%A');
    expect(cookieValue('dp_session=', 'dp_session')).toBe('');
    expect(cookieValue('novalue; dp_session=x', 'dp_session')).toBe('x');
  });
});
