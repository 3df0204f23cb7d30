/**
 * Small helpers for building RDF terms with n3's DataFactory: vocabulary IRIs, literals cleaned of
 * characters no RDF syntax can carry, IRIs made safe for Turtle and XML, and stable blank node labels.
 */

import type { BlankNode, Literal, NamedNode, Quad, Quad_Object, Quad_Subject } from 'n3';
import { DataFactory } from 'n3';
import type { LocalizedText } from '../catalog.model.ts';
import { NS, type Prefix } from './dcat.vocabularies.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;

/** `iri('dcat', 'Dataset')` → the NamedNode http://www.w3.org/ns/dcat#Dataset. */
export function iri(prefix: Prefix, local: string): NamedNode {
  return namedNode(NS[prefix] + local);
}

export const RDF_TYPE = iri('rdf', 'type');

// Control characters (other than tab, newline, carriage return) and lone surrogates cannot be written
// in RDF/XML, and some parsers reject them elsewhere too; they never carry meaning in metadata.
const UNWRITABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string): string {
  return value.replace(UNWRITABLE, '\uFFFD');
}

export function text(value: string, language?: string): Literal {
  return literal(cleanText(value), language);
}

export function typed(value: string, prefix: Prefix, type: string): Literal {
  return literal(cleanText(value), iri(prefix, type));
}

/** The language-tagged literals of a localized text, Chinese first; empty translations are left out. */
export function localized(value: LocalizedText): Literal[] {
  const out: Literal[] = [];
  for (const language of ['zh', 'en', 'fr'] as const) {
    const content = value[language]?.trim();
    if (content) out.push(text(content, language));
  }
  return out;
}

const NOT_IN_IRIREF = /[<>"{}|^`\\ ]/g;

/**
 * A URL as an IRI every syntax accepts: parsed and normalised by WHATWG URL, with the few characters that
 * Turtle and N-Triples forbid inside `<…>` percent-encoded. Undefined when it is not an absolute URL with
 * one of the allowed schemes.
 */
export function safeIri(
  value: string,
  schemes: readonly string[] = ['http:', 'https:', 'ftp:'],
): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (!schemes.includes(url.protocol)) return undefined;
  return url.href.replace(
    NOT_IN_IRIREF,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** A path segment for IRIs we mint (codes, ids). */
export function segment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** FNV-1a, enough to keep blank node labels of different records apart. */
function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * Blank node labels that are valid in Turtle, N-Triples, JSON-LD and as an XML NCName (rdf:nodeID), and
 * stable for one record so that two exports of the same record are byte-identical.
 */
export function blankFor(recordId: string, role: string): BlankNode {
  const readable = recordId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
  return blankNode(`b${readable}${shortHash(recordId)}_${role.replace(/[^A-Za-z0-9_]/g, '_')}`);
}

/** Collects quads grouped by subject, so that writers can print one block per subject. */
export class GraphBuilder {
  readonly #bySubject = new Map<string, Quad[]>();

  add(subject: Quad_Subject, predicate: NamedNode, object: Quad_Object | undefined): this {
    if (object === undefined) return this;
    // n3 terms carry their serialisation as id (`_:` marks blank nodes).
    const key = subject.id;
    let list = this.#bySubject.get(key);
    if (!list) {
      list = [];
      this.#bySubject.set(key, list);
    }
    list.push(quad(subject, predicate, object));
    return this;
  }

  addAll(subject: Quad_Subject, predicate: NamedNode, objects: readonly Quad_Object[]): this {
    for (const object of objects) this.add(subject, predicate, object);
    return this;
  }

  quads(): Quad[] {
    return [...this.#bySubject.values()].flat();
  }
}
