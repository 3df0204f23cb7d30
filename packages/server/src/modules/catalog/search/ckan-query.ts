/**
 * The `q` and `fq` parameters of CKAN's `package_search`, which CKAN hands to Solr: the subset of the
 * Lucene / Solr syntax that CKAN clients send, parsed into a small AST that SQL can compile.
 *
 * Supported: `*:*` and empty (everything); bare words and "quoted phrases" (full-text terms);
 * `field:value`, `field:"quoted value"`, `field:(a OR b)`; `AND`, `OR`, `NOT`, `&&`, `||`, `!`, leading
 * `+` and `-`, parentheses; `field:[from TO to]` on date fields, with `*` open ends, ISO 8601 dates,
 * `NOW` and Solr date math (`NOW-1YEAR`, `NOW/DAY`); `field:*` (the field has a value); `^` boosts
 * are accepted and ignored (ranking is ours). Anything else throws QuerySyntaxError.
 *
 * Semantics: juxtaposed clauses are combined with AND, and AND binds tighter than OR (standard boolean
 * logic rather than Lucene's SHOULD/MUST, which real clients do not rely on); `+x` is `x`; `-x`, `!x`
 * and `NOT x` are negations. A quoted phrase is a full-text query of its words, not a phrase query.
 */

/** Our field names. */
export type DateQueryField = 'modified' | 'created';
export type ValueQueryField =
  | 'name'
  | 'title'
  | 'summary'
  | 'keyword'
  | 'format'
  | 'organization'
  | 'theme'
  | 'license'
  | 'id'
  | 'openType'
  | 'shareType'
  | 'grade'
  | 'updateCycle'
  | 'classification'
  | 'code';
export type QueryField = ValueQueryField | DateQueryField;

/**
 * The parsed query. `field` values are as the client wrote them (unescaped, unquoted). Range ends are
 * ISO 8601 UTC timestamps (`2020-01-01T00:00:00.000Z`), date math resolved; a missing end is open.
 * An exact value on a date field becomes a range from that instant to itself.
 */
export type QueryNode =
  | { kind: 'all' }
  | { kind: 'text'; text: string }
  | { kind: 'field'; field: ValueQueryField; value: string }
  | { kind: 'exists'; field: QueryField }
  | { kind: 'range'; field: DateQueryField; from?: string; to?: string }
  | { kind: 'and' | 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

/** A query the parser does not accept; the message says why, for a 400 response. */
export class QuerySyntaxError extends Error {
  /** Zero-based character offset in the query, when the error is at one place. */
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super(position === undefined ? message : `${message} (at character ${position + 1})`);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}

export interface ParseOptions {
  /** What `NOW` is in date math; the current time when not given. */
  now?: Date;
}

export const MAX_QUERY_CHARS = 2_000;
export const MAX_QUERY_DEPTH = 16;
export const MAX_QUERY_CLAUSES = 64;

/** CKAN / Solr field names, and ours. `text` is the full text, so it gives text nodes. */
export const CKAN_FIELDS: ReadonlyMap<string, QueryField | 'text'> = new Map<string, QueryField | 'text'>([
  ['name', 'name'],
  ['title', 'title'],
  ['notes', 'summary'],
  ['tags', 'keyword'],
  ['res_format', 'format'],
  ['organization', 'organization'],
  // CKAN's own filter by organisation id; the value is an id rather than a code.
  ['owner_org', 'organization'],
  ['groups', 'theme'],
  ['license_id', 'license'],
  ['id', 'id'],
  ['text', 'text'],
  ['metadata_modified', 'modified'],
  ['metadata_created', 'created'],
  ['open_type', 'openType'],
  ['share_type', 'shareType'],
  ['grade', 'grade'],
  ['update_cycle', 'updateCycle'],
  ['theme', 'theme'],
  ['classification', 'classification'],
  ['code', 'code'],
]);

const DATE_FIELDS: ReadonlySet<QueryField | 'text'> = new Set<DateQueryField>(['modified', 'created']);

// ---------------------------------------------------------------------------------------------------
// Lexer

type Token =
  | { type: 'lparen' | 'rparen' | 'colon' | 'and' | 'or' | 'not' | 'plus' | 'minus'; pos: number }
  | { type: 'term'; value: string; wildcard: boolean; keyword: boolean; pos: number }
  | { type: 'phrase'; value: string; pos: number }
  | { type: 'range'; from: string | undefined; to: string | undefined; pos: number };

const WHITESPACE = /\s/u;
// Characters that end a bare term (Lucene's specials, less the ones allowed inside a word).
const TERM_END = new Set(['(', ')', '[', ']', '{', '}', '"', ':', '^', '~']);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // A `+`, `-` or `!` is an operator only where a clause starts (not inside a-b).
  while (i < input.length) {
    const ch = input[i]!;
    const pos = i;
    if (WHITESPACE.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === ':') {
      tokens.push({ type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'colon', pos });
      i += 1;
    } else if (input.startsWith('&&', i) || input.startsWith('||', i)) {
      tokens.push({ type: ch === '&' ? 'and' : 'or', pos });
      i += 2;
    } else if (ch === '!' || ch === '+' || ch === '-') {
      tokens.push({ type: ch === '!' ? 'not' : ch === '+' ? 'plus' : 'minus', pos });
      i += 1;
    } else if (ch === '"') {
      const [value, end] = readQuoted(input, i);
      tokens.push({ type: 'phrase', value, pos });
      i = end;
    } else if (ch === '[' || ch === '{') {
      const [token, end] = readRange(input, i);
      tokens.push(token);
      i = end;
    } else if (ch === ']' || ch === '}') {
      throw new QuerySyntaxError(`Unexpected ${ch}`, pos);
    } else if (ch === '^') {
      // A boost: accepted and ignored.
      const m = /^\^\d+(?:\.\d+)?/u.exec(input.slice(i, i + 32));
      if (m === null) throw new QuerySyntaxError('A boost (^) needs a number', pos);
      i += m[0].length;
    } else if (ch === '~') {
      throw new QuerySyntaxError('Fuzzy and proximity searches (~) are not supported', pos);
    } else if (ch === '/') {
      throw new QuerySyntaxError('Regular expressions (/…/) are not supported', pos);
    } else {
      const [token, end] = readTerm(input, i);
      tokens.push(token);
      i = end;
    }
  }
  return tokens;
}

/** A quoted string from the opening quote at `start`: its unescaped value and where it ends. */
function readQuoted(input: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"') return [value, i + 1];
    if (ch === '\\') {
      if (i + 1 >= input.length) break;
      value += input[i + 1]!;
      i += 2;
    } else {
      value += ch;
      i += 1;
    }
  }
  throw new QuerySyntaxError('Unterminated quoted phrase', start);
}

function readTerm(input: string, start: number): [Token, number] {
  let value = '';
  let wildcard = false;
  let escaped = false;
  let i = start;
  while (i < input.length) {
    const ch = input[i]!;
    if (WHITESPACE.test(ch) || TERM_END.has(ch) || input.startsWith('&&', i) || input.startsWith('||', i))
      break;
    if (ch === '\\') {
      if (i + 1 >= input.length) throw new QuerySyntaxError('Nothing to escape after \\', i);
      value += input[i + 1]!;
      escaped = true;
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '?') wildcard = true;
    value += ch;
    i += 1;
  }
  const keyword = !escaped && (value === 'AND' || value === 'OR' || value === 'NOT');
  return [{ type: 'term', value, wildcard, keyword, pos: start }, i];
}

/** `[from TO to]`, ends bare or quoted, `*` for an open end. */
function readRange(input: string, start: number): [Token, number] {
  if (input[start] === '{') {
    if (input[start + 1] === '!')
      throw new QuerySyntaxError('Local parameters ({!…}) are not supported', start);
    throw new QuerySyntaxError('Exclusive ranges ({…}) are not supported: use [from TO to]', start);
  }
  const ends: (string | undefined)[] = [];
  const words: string[] = [];
  let i = start + 1;
  for (;;) {
    while (i < input.length && WHITESPACE.test(input[i]!)) i += 1;
    if (i >= input.length) throw new QuerySyntaxError('Unterminated range: missing ]', start);
    const ch = input[i]!;
    if (ch === ']') {
      i += 1;
      break;
    }
    if (ch === '}')
      throw new QuerySyntaxError('Exclusive ranges ({…}) are not supported: use [from TO to]', i);
    if (ch === '"') {
      const [value, end] = readQuoted(input, i);
      words.push('"');
      ends.push(value);
      i = end;
      continue;
    }
    let word = '';
    while (i < input.length && !WHITESPACE.test(input[i]!) && input[i] !== ']' && input[i] !== '}') {
      word += input[i]!;
      i += 1;
    }
    words.push(word);
    ends.push(word === '*' ? undefined : word);
  }
  if (words.length !== 3 || words[1] !== 'TO' || words[0] === 'TO' || words[2] === 'TO') {
    throw new QuerySyntaxError('A range is written [from TO to]', start);
  }
  return [{ type: 'range', from: ends[0], to: ends[2], pos: start }, i];
}

// ---------------------------------------------------------------------------------------------------
// Dates

const DATE_UNITS: Record<string, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli'> = {
  YEAR: 'year',
  YEARS: 'year',
  MONTH: 'month',
  MONTHS: 'month',
  DAY: 'day',
  DAYS: 'day',
  DATE: 'day',
  HOUR: 'hour',
  HOURS: 'hour',
  MINUTE: 'minute',
  MINUTES: 'minute',
  SECOND: 'second',
  SECONDS: 'second',
  MILLI: 'milli',
  MILLIS: 'milli',
  MILLISECOND: 'milli',
  MILLISECONDS: 'milli',
};

const DATE_BASE =
  /^(?:NOW|(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?)?)((?:[+-]\d{1,9}[A-Z]+|\/[A-Z]+)*)$/u;

/**
 * A Solr date (`2020-01-01T00:00:00Z`, also `2020-01-01`) or `NOW`, with optional date math
 * (`NOW-1YEAR`, `NOW/DAY`, `2020-01-01T00:00:00Z+6MONTHS`), as an ISO 8601 UTC timestamp.
 */
export function resolveSolrDate(value: string, now: Date): string {
  const m = DATE_BASE.exec(value.toUpperCase());
  if (m === null) throw new QuerySyntaxError(`Not a date: ${value}`);
  let date: Date;
  if (m[1] === undefined) {
    date = new Date(now.getTime());
  } else {
    const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((s) =>
      Number(s ?? '0'),
    ) as [number, number, number, number, number, number];
    const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
    date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
    date.setUTCFullYear(year);
    if (
      date.getUTCMonth() !== month - 1 ||
      date.getUTCDate() !== day ||
      date.getUTCHours() !== hour ||
      date.getUTCMinutes() !== minute ||
      date.getUTCSeconds() !== second
    ) {
      throw new QuerySyntaxError(`Not a date: ${value}`);
    }
  }
  for (const op of (m[8] ?? '').matchAll(/([+-]\d+|\/)([A-Z]+)/gu)) {
    const unit = DATE_UNITS[op[2]!];
    if (unit === undefined) throw new QuerySyntaxError(`Unknown date unit ${op[2]} in ${value}`);
    if (op[1] === '/') roundDown(date, unit);
    else addTo(date, unit, Number(op[1]));
  }
  const year = date.getUTCFullYear();
  // PostgreSQL and ISO strings both read four-digit years; anything else is a mistake anyway.
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new QuerySyntaxError(`Date out of range: ${value}`);
  }
  return date.toISOString();
}

function addTo(date: Date, unit: string, n: number): void {
  if (unit === 'year') date.setUTCFullYear(date.getUTCFullYear() + n);
  else if (unit === 'month') date.setUTCMonth(date.getUTCMonth() + n);
  else if (unit === 'day') date.setUTCDate(date.getUTCDate() + n);
  else if (unit === 'hour') date.setUTCHours(date.getUTCHours() + n);
  else if (unit === 'minute') date.setUTCMinutes(date.getUTCMinutes() + n);
  else if (unit === 'second') date.setUTCSeconds(date.getUTCSeconds() + n);
  else date.setUTCMilliseconds(date.getUTCMilliseconds() + n);
}

function roundDown(date: Date, unit: string): void {
  if (unit === 'milli') return;
  date.setUTCMilliseconds(0);
  if (unit === 'second') return;
  date.setUTCSeconds(0);
  if (unit === 'minute') return;
  date.setUTCMinutes(0);
  if (unit === 'hour') return;
  date.setUTCHours(0);
  if (unit === 'day') return;
  date.setUTCDate(1);
  if (unit === 'month') return;
  date.setUTCMonth(0);
}

// ---------------------------------------------------------------------------------------------------
// Parser

function describe(token: Token): string {
  switch (token.type) {
    case 'term':
      return token.keyword ? token.value : `"${token.value}"`;
    case 'phrase':
      return 'a quoted phrase';
    case 'range':
      return 'a range';
    case 'lparen':
      return '(';
    case 'rparen':
      return ')';
    case 'colon':
      return ':';
    case 'and':
      return '&&';
    case 'or':
      return '||';
    case 'not':
      return '!';
    case 'plus':
      return '+';
    case 'minus':
      return '-';
  }
}

interface FieldContext {
  name: string;
  target: QueryField | 'text';
}

class Parser {
  private readonly tokens: Token[];
  private readonly now: Date;
  private readonly end: number;
  private i = 0;
  private depth = 0;
  leaves: number;

  constructor(input: string, now: Date, leaves: number) {
    this.tokens = lex(input);
    this.now = now;
    this.end = input.length;
    this.leaves = leaves;
  }

  parse(): QueryNode {
    if (this.tokens.length === 0) return { kind: 'all' };
    const node = this.parseOr(undefined);
    const extra = this.peek();
    if (extra !== undefined) throw new QuerySyntaxError(`Unexpected ${describe(extra)}`, extra.pos);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const token = this.tokens[this.i];
    if (token === undefined)
      throw new QuerySyntaxError(`The query ends where ${what} was expected`, this.end);
    this.i += 1;
    return token;
  }

  private isKeyword(token: Token | undefined, word: string): boolean {
    return token?.type === 'term' && token.keyword && token.value === word;
  }

  private enter(pos: number): void {
    this.depth += 1;
    if (this.depth > MAX_QUERY_DEPTH) {
      throw new QuerySyntaxError(`The query is nested more than ${MAX_QUERY_DEPTH} levels deep`, pos);
    }
  }

  private leaf(node: QueryNode): QueryNode {
    this.leaves += 1;
    if (this.leaves > MAX_QUERY_CLAUSES) {
      throw new QuerySyntaxError(`The query has more than ${MAX_QUERY_CLAUSES} clauses`);
    }
    return node;
  }

  private parseOr(field: FieldContext | undefined): QueryNode {
    const children = [this.parseAnd(field)];
    for (;;) {
      const token = this.peek();
      if (token?.type !== 'or' && !this.isKeyword(token, 'OR')) break;
      this.i += 1;
      children.push(this.parseAnd(field));
    }
    return combine('or', children);
  }

  private parseAnd(field: FieldContext | undefined): QueryNode {
    const children = [this.parseClause(field)];
    for (;;) {
      const token = this.peek();
      if (
        token === undefined ||
        token.type === 'rparen' ||
        token.type === 'or' ||
        this.isKeyword(token, 'OR')
      )
        break;
      if (token.type === 'and' || this.isKeyword(token, 'AND')) this.i += 1;
      children.push(this.parseClause(field));
    }
    return combine('and', children);
  }

  private parseClause(field: FieldContext | undefined): QueryNode {
    let token = this.next('a search term');
    // `+` only says "required", which every clause of an AND already is.
    while (token.type === 'plus') token = this.next('a search term');
    if (token.type === 'not' || token.type === 'minus' || this.isKeyword(token, 'NOT')) {
      this.enter(token.pos);
      const child = this.parseClause(field);
      this.depth -= 1;
      return child.kind === 'not' ? child.child : { kind: 'not', child };
    }
    return this.parsePrimary(token, field);
  }

  private parsePrimary(token: Token, field: FieldContext | undefined): QueryNode {
    switch (token.type) {
      case 'lparen':
        return this.parseGroup(token, field);
      case 'phrase':
        return field === undefined
          ? this.leaf({ kind: 'text', text: token.value })
          : this.value(field, token);
      case 'range':
        if (field === undefined) {
          throw new QuerySyntaxError('A range needs a field, as in metadata_modified:[… TO …]', token.pos);
        }
        return this.value(field, token);
      case 'term': {
        if (token.keyword) throw new QuerySyntaxError(`Unexpected ${token.value}`, token.pos);
        if (this.peek()?.type === 'colon') {
          if (field !== undefined) {
            throw new QuerySyntaxError(
              `A field (${token.value}:) inside ${field.name}:(…) is not supported`,
              token.pos,
            );
          }
          this.i += 1;
          return this.parseField(token);
        }
        if (field !== undefined) return this.value(field, token);
        if (token.value === '*') return this.leaf({ kind: 'all' });
        return this.leaf({ kind: 'text', text: token.value });
      }
      default:
        throw new QuerySyntaxError(`Unexpected ${describe(token)}`, token.pos);
    }
  }

  private parseGroup(open: Token, field: FieldContext | undefined): QueryNode {
    this.enter(open.pos);
    if (this.peek()?.type === 'rparen') throw new QuerySyntaxError('Empty parentheses', open.pos);
    const node = this.parseOr(field);
    const close = this.peek();
    if (close?.type !== 'rparen') {
      throw new QuerySyntaxError('Missing ) for this (', open.pos);
    }
    this.i += 1;
    this.depth -= 1;
    return node;
  }

  /** After `name:`. */
  private parseField(name: Token & { type: 'term' }): QueryNode {
    if (name.value === '*') {
      const value = this.peek();
      if (value?.type === 'term' && value.value === '*' && !value.keyword) {
        this.i += 1;
        return this.leaf({ kind: 'all' });
      }
      throw new QuerySyntaxError('Only *:* may use * as a field', name.pos);
    }
    const target = CKAN_FIELDS.get(name.value);
    if (target === undefined) throw new QuerySyntaxError(`Unknown field ${name.value}`, name.pos);
    const field: FieldContext = { name: name.value, target };
    const token = this.peek();
    if (token === undefined || !['term', 'phrase', 'range', 'lparen'].includes(token.type)) {
      throw new QuerySyntaxError(`Missing value for field ${name.value}`, name.pos);
    }
    this.i += 1;
    if (token.type === 'lparen') return this.parseGroup(token, field);
    if (token.type === 'term' && token.keyword) {
      throw new QuerySyntaxError(`Missing value for field ${name.value}`, name.pos);
    }
    return this.value(field, token);
  }

  /** One value of a field: a term, a phrase or a range. */
  private value(field: FieldContext, token: Token): QueryNode {
    const { name, target } = field;
    if (token.type === 'term' && token.wildcard) {
      if (token.value !== '*') {
        throw new QuerySyntaxError(
          `Wildcards are not supported (only ${name}:* for "has a value")`,
          token.pos,
        );
      }
      return this.leaf(target === 'text' ? { kind: 'all' } : { kind: 'exists', field: target });
    }
    if (token.type === 'range') {
      if (!isDateField(target)) {
        throw new QuerySyntaxError(
          `Ranges are only supported on metadata_modified and metadata_created`,
          token.pos,
        );
      }
      if (token.from === undefined && token.to === undefined)
        return this.leaf({ kind: 'exists', field: target });
      return this.leaf({
        kind: 'range',
        field: target,
        ...(token.from === undefined ? {} : { from: this.date(token.from, token.pos) }),
        ...(token.to === undefined ? {} : { to: this.date(token.to, token.pos) }),
      });
    }
    if (token.type !== 'term' && token.type !== 'phrase') {
      throw new QuerySyntaxError(`Unexpected ${describe(token)}`, token.pos);
    }
    if (token.value.trim() === '') throw new QuerySyntaxError(`Empty value for field ${name}`, token.pos);
    if (target === 'text') return this.leaf({ kind: 'text', text: token.value });
    if (isDateField(target)) {
      const at = this.date(token.value, token.pos);
      return this.leaf({ kind: 'range', field: target, from: at, to: at });
    }
    return this.leaf({ kind: 'field', field: target, value: token.value });
  }

  private date(value: string, pos: number): string {
    try {
      return resolveSolrDate(value, this.now);
    } catch (e) {
      if (e instanceof QuerySyntaxError) throw new QuerySyntaxError(e.message, pos);
      throw e;
    }
  }
}

function isDateField(target: QueryField | 'text'): target is DateQueryField {
  return DATE_FIELDS.has(target);
}

/**
 * AND / OR of children, flattened: `all` is dropped from an AND and absorbs an OR, and the text clauses
 * of an AND become one text (full text is an AND of its words anyway, and one tsquery ranks better).
 */
function combine(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode {
  const children: QueryNode[] = [];
  for (const node of nodes) {
    if (node.kind === kind) children.push(...node.children);
    else children.push(node);
  }
  if (kind === 'or' && children.some((c) => c.kind === 'all')) return { kind: 'all' };
  let result = kind === 'and' ? children.filter((c) => c.kind !== 'all') : children;
  if (kind === 'and') {
    const texts = result.filter((c): c is { kind: 'text'; text: string } => c.kind === 'text');
    if (texts.length > 1) {
      const first = result.indexOf(texts[0]!);
      result = result.filter((c) => c.kind !== 'text');
      result.splice(first, 0, { kind: 'text', text: texts.map((t) => t.text).join(' ') });
    }
  }
  if (result.length === 0) return { kind: 'all' };
  if (result.length === 1) return result[0]!;
  return { kind, children: result };
}

function parseWithLimit(input: string, now: Date, leaves: number): { node: QueryNode; leaves: number } {
  if (input.length > MAX_QUERY_CHARS) {
    throw new QuerySyntaxError(`The query is longer than ${MAX_QUERY_CHARS} characters`);
  }
  const parser = new Parser(input, now, leaves);
  const node = parser.parse();
  return { node, leaves: parser.leaves };
}

/** The `q` parameter. Empty and `*:*` match everything. */
export function parseCkanQuery(q: string, options: ParseOptions = {}): QueryNode {
  return parseWithLimit(q, options.now ?? new Date(), 0).node;
}

/** The `fq` parameter, one or several (combined with AND); the clause limit counts them all. */
export function parseFilterQueries(fq: string | readonly string[], options: ParseOptions = {}): QueryNode {
  const now = options.now ?? new Date();
  const nodes: QueryNode[] = [];
  let leaves = 0;
  for (const one of typeof fq === 'string' ? [fq] : fq) {
    const parsed = parseWithLimit(one, now, leaves);
    leaves = parsed.leaves;
    nodes.push(parsed.node);
  }
  return combine('and', nodes);
}
