import pino, { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

/**
 * The logger Fastify gives each request (`request.log`), made only when something logs through it. Pino's
 * child() serialises the bindings (the request id) on every request; most requests log nothing but their
 * access line, which is written without it.
 */
class LazyRequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #made: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #logger(): Logger {
    if (this.#made === undefined) this.#made = this.#parent.child(this.#bindings);
    return this.#made;
  }

  // Until it is made, the child has its parent's level: asking needs no child.
  get level(): string {
    return (this.#made ?? this.#parent).level;
  }
  set level(level: string) {
    this.#logger().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#made ?? this.#parent).isLevelEnabled(level);
  }
  get levels(): Logger['levels'] {
    return this.#parent.levels;
  }
  bindings(): Bindings {
    return this.#logger().bindings();
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#logger().child(bindings, options);
  }
  flush(callback?: (error?: Error) => void): void {
    this.#logger().flush(callback);
  }
  // fatal, error, warn, info, debug and trace: each makes the logger and logs through it, if its level is on.
  static {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
      Object.defineProperty(LazyRequestLogger.prototype, level, {
        value(this: LazyRequestLogger, ...args: unknown[]) {
          if (!this.isLevelEnabled(level)) return;
          (this.#logger()[level] as (...a: unknown[]) => void)(...args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  silent(): void {}
}

/** Fastify's `childLoggerFactory`: a request logger made on first use, unless the route sets its own level. */
export function lazyChildLoggerFactory(
  logger: Logger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): Logger {
  if (options.level !== undefined || options.serializers !== undefined)
    return logger.child(bindings, options);
  return new LazyRequestLogger(logger, bindings) as unknown as Logger;
}

export interface AccessLine {
  reqId: string;
  method: string;
  url: string;
  statusCode: number;
  ms: number;
  actor: string | undefined;
}

const {
  lsCacheSym,
  timeSym,
  chindingsSym,
  streamSym,
  endSym,
  mixinSym,
  formattersSym,
  hooksSym,
  needsMetadataGsym,
  messageKeySym,
  nestedKeySym,
  msgPrefixSym,
  serializersSym,
} = pino.symbols as unknown as Record<
  | 'lsCacheSym'
  | 'timeSym'
  | 'chindingsSym'
  | 'streamSym'
  | 'endSym'
  | 'mixinSym'
  | 'formattersSym'
  | 'hooksSym'
  | 'needsMetadataGsym'
  | 'messageKeySym'
  | 'nestedKeySym'
  | 'msgPrefixSym'
  | 'serializersSym',
  symbol
>;

type Internals = Record<symbol, unknown>;

const ACCESS_KEYS = ['reqId', 'method', 'url', 'statusCode', 'ms', 'actor', 'msg'];

/**
 * Writes the access line (one per request) as pino would, byte for byte, without its general path: pino walks
 * the logged object key by key through its serializers and redaction; these six fields are known, none is a
 * credential, and the strings are escaped by JSON.stringify. A logger configured in a way this does not
 * reproduce (a mixin, log formatters, serializers of these keys, a stream hook or a stream that reads metadata,
 * another message key, a nested key or a message prefix) gets
 * the line through pino itself. The level is checked on `levelOf` (the request logger's), so a level changed
 * at run time applies.
 */
export function accessLineWriter(logger: Logger): (levelOf: Logger, line: AccessLine) => void {
  // A child without redaction: when pino writes the line itself, it does not walk it for credentials.
  const plain = logger.child({}, { level: 'trace', redact: { paths: [] } });
  const internals = plain as unknown as Internals;
  const stream = internals[streamSym] as { write(line: string): void } & Internals;
  const formatters = internals[formattersSym] as { log?: unknown } | undefined;
  const hooks = internals[hooksSym] as { streamWrite?: unknown } | undefined;
  const direct =
    internals[mixinSym] === undefined &&
    formatters?.log === undefined &&
    hooks?.streamWrite === undefined &&
    stream[needsMetadataGsym] !== true &&
    internals[messageKeySym] === 'msg' &&
    internals[nestedKeySym] == null &&
    internals[msgPrefixSym] == null &&
    ACCESS_KEYS.every((key) => (internals[serializersSym] as Record<string, unknown>)?.[key] === undefined) &&
    typeof internals[timeSym] === 'function' &&
    typeof (internals[lsCacheSym] as Record<number, string> | undefined)?.[30] === 'string';
  if (!direct) {
    return (levelOf, line) => {
      if (levelOf.isLevelEnabled('info')) plain.info(line, 'request');
    };
  }
  const head = (internals[lsCacheSym] as Record<number, string>)[30];
  const time = internals[timeSym] as () => string;
  const end = internals[endSym] as string;
  const bindings = internals[chindingsSym] as string;
  return (levelOf, line) => {
    if (!levelOf.isLevelEnabled('info')) return;
    const actor = line.actor === undefined ? '' : `,"actor":${JSON.stringify(line.actor)}`;
    stream.write(
      `${head}${time()}${bindings},"reqId":${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},"url":${JSON.stringify(line.url)},"statusCode":${line.statusCode},"ms":${line.ms}${actor},"msg":"request"${end}`,
    );
  };
}
