/**
 * Text analysis for catalog full-text search (Chinese, English, French) on PostgreSQL.
 *
 * Index side: `indexDocument` turns weighted texts into four strings of terms, one per weight, that SQL
 * turns into one weighted tsvector:
 *
 *   setweight(to_tsvector('simple', $a), 'A') || setweight(to_tsvector('simple', $b), 'B')
 *     || setweight(to_tsvector('simple', $c), 'C') || setweight(to_tsvector('simple', $d), 'D')
 *
 * Query side: `buildTsQuery` returns a string for `to_tsquery('simple', $1)`.
 *
 * Han text is indexed as every character and every overlapping pair of characters (as Lucene's CJK
 * analyzer does), because word segmentation alone misses words it does not know (ICU splits 公交).
 * Other scripts are split into words; each word is indexed as typed, without diacritics (réseau →
 * reseau) and with a light plural stem (routes → route). Query words match by prefix.
 *
 * PostgreSQL lexemes: every term is written as `^[a-z][a-z0-9]*$` by `encodeTerm`, because the default
 * text-search parser reads any such string as exactly one word (checked against PostgreSQL in the tests),
 * whatever the database locale or encoding: without it Han and accented text depends on the locale (and
 * is lost in an SQL_ASCII database), and digit-led terms like `4e2d` are split as a float plus a word.
 */

export type TextWeight = 'A' | 'B' | 'C' | 'D';

export interface WeightedText {
  text: string;
  weight: TextWeight;
}

/** Space-separated lexemes per weight, for `setweight(to_tsvector('simple', …), 'A' … 'D')`. */
export interface WeightedTerms {
  a: string;
  b: string;
  c: string;
  d: string;
}

/** Longer terms are dropped: they are noise (hashes, base64, run-together text), not words people type. */
export const MAX_TERM_LENGTH = 60;
/** Characters of a query that are read; the rest is ignored. */
export const MAX_QUERY_LENGTH = 500;
/** Required terms in one tsquery, so that a pasted paragraph cannot make a huge query. */
export const MAX_QUERY_TERMS = 32;
/**
 * Characters of lexemes per document (all weights together, weight A first). A tsvector may not exceed
 * 1 MB; even an adversarial document of short unique lexemes stays far below it at this size.
 */
export const MAX_INDEX_CHARS = 200_000;

// ---------------------------------------------------------------------------------------------------
// Tokenising

type Token = { kind: 'han'; text: string } | { kind: 'word'; text: string };

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc]/gu;
// French elision (l'eau, d'accès, qu'il) and the English possessive ('s) are dropped, as Lucene's
// ElisionFilter and EnglishPossessiveFilter do; any other apostrophe separates words.
const ELISION = /(?<![\p{L}\p{N}\p{M}])(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[\p{L}\p{N}])/gu;
const POSSESSIVE = /(?<=[\p{L}\p{N}\p{M}])'s(?![\p{L}\p{N}\p{M}])/gu;
// Han runs, or words of letters and digits of other scripts; combining marks stay in the word they follow
// (after lowercasing, İ becomes i + U+0307).
const TOKEN =
  /(\p{Script=Han}+)|(?:(?!\p{Script=Han})[\p{L}\p{N}])(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])*/gu;

function normalize(text: string): string {
  return text
    .replace(IGNORABLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(ELISION, '')
    .replace(POSSESSIVE, '');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of normalize(text).matchAll(TOKEN)) {
    tokens.push(m[1] === undefined ? { kind: 'word', text: m[0] } : { kind: 'han', text: m[0] });
  }
  return tokens;
}

function length(term: string): number {
  let n = 0;
  for (const _ of term) n += 1;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Word forms

// Letters that do not decompose into a base letter plus a mark.
const FOLD_LETTERS: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const LATIN_WORD = /^\p{Script=Latin}+$/u;

/** The word without diacritics on Latin letters (réseau → reseau, cœur → coeur); other scripts unchanged. */
export function foldDiacritics(word: string): string {
  return word
    .normalize('NFD')
    .replace(LATIN_MARKS, '$1')
    .replace(/[œæßøłđı]/gu, (c) => FOLD_LETTERS[c] ?? c)
    .normalize('NFC');
}

/**
 * Light plural stems for English and French, deliberately simple (no dictionary): the index keeps the word
 * as written too, so a wrong stem only adds a near miss, never loses a match.
 * - `-ies` → `-y` (cities → city; the `-s` rule also gives énergies → énergie)
 * - `-aux`, `-eux` → drop `x` (réseaux → réseau, jeux → jeu); `-aux` → `-al` too (journaux → journal)
 * - `-s` → drop it, except after `s`, `u`, `i` (class, bus, status, analysis)
 * Only words of 4+ Latin letters are stemmed, and a stem keeps at least 3 letters.
 */
export function pluralStems(word: string): string[] {
  if (word.length < 4 || !LATIN_WORD.test(word)) return [];
  const stems: string[] = [];
  if (word.endsWith('ies') && word.length >= 5) stems.push(`${word.slice(0, -3)}y`);
  if (/[ae]ux$/u.test(word)) {
    stems.push(word.slice(0, -1));
    if (/[^e]aux$/u.test(word) && word.length >= 6) stems.push(`${word.slice(0, -3)}al`);
  }
  if (word.endsWith('s') && !/[sui]s$/u.test(word)) stems.push(word.slice(0, -1));
  return stems.filter((s) => s.length >= 3);
}

/** The index terms of one word: as written, folded, and their plural stems. */
function wordTerms(word: string): string[] {
  const folded = foldDiacritics(word);
  const terms = new Set([word, folded, ...pluralStems(word), ...pluralStems(folded)]);
  return [...terms].filter((t) => length(t) <= MAX_TERM_LENGTH);
}

/** Every character and every overlapping pair, in text order (北京市 → 北 北京 京 京市 市). */
function hanTerms(run: string): string[] {
  const chars = [...run];
  const terms: string[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    terms.push(chars[i]!);
    if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
  }
  return terms;
}

/**
 * The index terms of a text, in order, readable (not yet encoded for PostgreSQL: see `encodeTerm`).
 * NFKC and lowercase; Han runs give characters and pairs; other words give themselves, their
 * diacritic-free form and their plural stems; punctuation, hyphens, underscores and apostrophes separate
 * words; terms longer than MAX_TERM_LENGTH characters are dropped.
 */
export function analyze(text: string): string[] {
  return tokenize(text).flatMap((t) => (t.kind === 'han' ? hanTerms(t.text) : wordTerms(t.text)));
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL lexemes

/**
 * Writes a term as `^[a-z][a-z0-9]*$`: a-z and 0-9 stand for themselves except `q`, which is the escape:
 * `qq` is a q, `q` + 4 base-36 digits (the first one 0-n) is any other code point (北 → q0gev), and a
 * term that starts with a digit is prefixed by `qz` (2020 → qz2020).
 *
 * The characters' codes form a prefix code, so the encoding is injective and keeps prefixes: the
 * encoding of p is a prefix of the encoding of w exactly when p is a prefix of w, which is what `:*`
 * query prefixes need. Readable ASCII words (route, bus, reseau) are unchanged.
 */
export function encodeTerm(term: string): string {
  let out = '';
  for (const ch of term) {
    const code = ch.codePointAt(0)!;
    if (ch === 'q') out += 'qq';
    else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) out += ch;
    else out += `q${code.toString(36).padStart(4, '0')}`;
  }
  return /^[0-9]/u.test(out) ? `qz${out}` : out;
}

/** The inverse of `encodeTerm` (for debugging and tests); undefined for a string it cannot produce. */
export function decodeTerm(lexeme: string): string | undefined {
  let i = lexeme.startsWith('qz') ? 2 : 0;
  if (i === 2 && !/^[0-9]/u.test(lexeme.slice(2))) return undefined;
  let out = '';
  while (i < lexeme.length) {
    const ch = lexeme[i]!;
    if (ch !== 'q') {
      if (!/[a-z0-9]/u.test(ch)) return undefined;
      out += ch;
      i += 1;
    } else if (lexeme[i + 1] === 'q') {
      out += 'q';
      i += 2;
    } else {
      const digits = lexeme.slice(i + 1, i + 5);
      if (!/^[0-9a-n][0-9a-z]{3}$/u.test(digits)) return undefined;
      const code = Number.parseInt(digits, 36);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 5;
    }
  }
  return out;
}

const WEIGHTS = ['A', 'B', 'C', 'D'] as const;

/**
 * The lexemes of a document by weight, for one weighted tsvector (see the SQL at the top of this file).
 * Weight A is filled first, then B, C and D, until MAX_INDEX_CHARS is reached, so a long description
 * can never push the title out of the index.
 */
export function indexDocument(parts: readonly WeightedText[]): WeightedTerms {
  const lexemes: Record<TextWeight, string[]> = { A: [], B: [], C: [], D: [] };
  let budget = MAX_INDEX_CHARS;
  fill: for (const weight of WEIGHTS) {
    for (const part of parts) {
      if (part.weight !== weight) continue;
      for (const term of analyze(part.text.slice(0, MAX_INDEX_CHARS))) {
        const lexeme = encodeTerm(term);
        if (lexeme.length + 1 > budget) break fill;
        budget -= lexeme.length + 1;
        lexemes[weight].push(lexeme);
      }
    }
  }
  return { a: lexemes.A.join(' '), b: lexemes.B.join(' '), c: lexemes.C.join(' '), d: lexemes.D.join(' ') };
}

// ---------------------------------------------------------------------------------------------------
// Queries

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * A query's Han run split into words: ICU's words, with runs of single characters (which is how ICU
 * shows words it does not know, 公|交) put back together. 北京公交 → 北京, 公交.
 */
function hanWords(run: string): string[] {
  const words: string[] = [];
  let singles = '';
  for (const { segment } of segmenter.segment(run)) {
    if (length(segment) === 1) {
      singles += segment;
      continue;
    }
    if (singles !== '') words.push(singles);
    singles = '';
    words.push(segment);
  }
  if (singles !== '') words.push(singles);
  return words;
}

/** Drops forms that another form already matches as a prefix (route:* covers routes:*). */
function prefixCover(forms: string[]): string[] {
  return forms.filter((f, i) => !forms.some((g, j) => j !== i && f.startsWith(g) && (g !== f || j < i)));
}

/**
 * A tsquery for `to_tsquery('simple', $1)` (also valid as `$1::tsquery`): every word is required; a
 * word of a non-Han script matches by prefix in any of its forms (as written, without diacritics, plural
 * stem); a Han word requires all its character pairs (a single character requires itself), pairs that
 * span two words are not required so that 北京公交 finds 北京市公交线路.
 *
 * Only quoted `[a-z0-9]` lexemes, `:*`, `&`, `|`, parentheses and spaces are produced, so the result can
 * never make `to_tsquery` fail. Undefined when nothing in `q` is searchable.
 */
export function buildTsQuery(q: string): string | undefined {
  const clauses: string[] = [];
  const add = (clause: string) => {
    if (clauses.length < MAX_QUERY_TERMS && !clauses.includes(clause)) clauses.push(clause);
  };
  for (const token of tokenize(q.slice(0, MAX_QUERY_LENGTH))) {
    if (token.kind === 'word') {
      const forms = prefixCover(wordTerms(token.text)).map((f) => `'${encodeTerm(f)}':*`);
      if (forms.length === 1) add(forms[0]!);
      else if (forms.length > 1) add(`( ${forms.join(' | ')} )`);
      continue;
    }
    for (const word of hanWords(token.text)) {
      const terms = hanTerms(word);
      const required = terms.length === 1 ? terms : terms.filter((t) => length(t) === 2);
      for (const term of required) add(`'${encodeTerm(term)}'`);
    }
  }
  return clauses.length === 0 ? undefined : clauses.join(' & ');
}
