/**
 * Incremental RDF writers: each takes quads chunk by chunk and returns text, so that a catalog of any
 * size is written without holding it. Turtle and N-Triples use n3's Writer; RDF/XML and JSON-LD are
 * written here because the libraries we have only read them.
 */

import type { Quad, Quad_Object, Quad_Subject, Term } from 'n3';
import { Writer } from 'n3';
import { PREFIXES } from './dcat.vocabularies.ts';

export interface DcatChunkWriter {
  /** The document head, with the first quads (the catalog node). */
  start(quads: readonly Quad[]): string;
  /** The text for the next quads; the catalog's links to them may be among them. */
  write(quads: readonly Quad[]): string;
  /** Whatever closes the document. */
  end(): string;
}

const RDF_TYPE = `${PREFIXES.rdf}type`;
const XSD_STRING = `${PREFIXES.xsd}string`;
const RDF_LANG_STRING = `${PREFIXES.rdf}langString`;

export function createDcatWriter(
  format: 'ttl' | 'nt' | 'rdf' | 'jsonld',
  catalogIri: string,
): DcatChunkWriter {
  switch (format) {
    case 'ttl':
      return n3ChunkWriter('Turtle');
    case 'nt':
      return n3ChunkWriter('N-Triples');
    case 'rdf':
      return rdfXmlChunkWriter();
    case 'jsonld':
      return jsonLdChunkWriter(catalogIri);
  }
}

// --- Turtle / N-Triples -------------------------------------------------------------------------------------

function n3ChunkWriter(format: 'Turtle' | 'N-Triples'): DcatChunkWriter {
  let buffer = '';
  const sink = {
    write(chunk: string, _encoding?: string, done?: () => void) {
      buffer += chunk;
      done?.();
      return true;
    },
    end(done?: () => void) {
      done?.();
    },
  };
  // One writer for the whole document: it prints the prefix block once and keeps its place between chunks.
  const writer = new Writer(sink as unknown as NodeJS.WritableStream, {
    format,
    ...(format === 'Turtle' ? { prefixes: PREFIXES } : {}),
  });
  const drain = () => {
    const out = buffer;
    buffer = '';
    return out;
  };
  return {
    start(quads) {
      for (const quad of quads) writer.addQuad(quad);
      return drain();
    },
    write(quads) {
      for (const quad of quads) writer.addQuad(quad);
      return drain();
    },
    end() {
      writer.end();
      return drain();
    },
  };
}

/** Quads grouped by subject, in first-seen order. */
function bySubject(quads: readonly Quad[]): Map<string, { subject: Quad_Subject; quads: Quad[] }> {
  const groups = new Map<string, { subject: Quad_Subject; quads: Quad[] }>();
  for (const quad of quads) {
    const key = termKey(quad.subject);
    let group = groups.get(key);
    if (!group) {
      group = { subject: quad.subject, quads: [] };
      groups.set(key, group);
    }
    group.quads.push(quad);
  }
  return groups;
}

function termKey(term: Term): string {
  return `${term.termType === 'BlankNode' ? '_:' : ''}${term.value}`;
}

// --- RDF/XML ------------------------------------------------------------------------------------------------

function xmlText(value: string): string {
  return value.replace(
    /[&<>\r]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] ?? c,
  );
}

function xmlAttribute(value: string): string {
  return value.replace(
    /[&<>"\t\n\r]/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[
        c
      ] ?? c,
  );
}

// ASCII NCName is enough for the vocabularies we write; anything else gets its own namespace declaration.
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** rdf:nodeID values must be NCNames; blank node labels from elsewhere may not be. */
function nodeId(label: string): string {
  return NCNAME.test(label) ? label : `b${label.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

const qualifiedNames = new Map<string, { name: string; declaration: string }>();

function qualifiedName(predicate: string): { name: string; declaration: string } {
  let found = qualifiedNames.get(predicate);
  if (!found) {
    found = splitPredicate(predicate);
    if (qualifiedNames.size < 10_000) qualifiedNames.set(predicate, found);
  }
  return found;
}

function splitPredicate(predicate: string): { name: string; declaration: string } {
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (predicate.startsWith(namespace) && NCNAME.test(predicate.slice(namespace.length))) {
      return { name: `${prefix}:${predicate.slice(namespace.length)}`, declaration: '' };
    }
  }
  const split = /^(.*[/#:])([A-Za-z_][A-Za-z0-9_.-]*)$/.exec(predicate);
  if (!split?.[1] || !split[2]) throw new Error(`Cannot write predicate ${predicate} in RDF/XML`);
  return { name: `ns0:${split[2]}`, declaration: ` xmlns:ns0="${xmlAttribute(split[1])}"` };
}

function xmlSubject(subject: Quad_Subject): string {
  return subject.termType === 'BlankNode'
    ? `rdf:nodeID="${nodeId(subject.value)}"`
    : `rdf:about="${xmlAttribute(subject.value)}"`;
}

function xmlProperty(predicate: string, object: Quad_Object): string {
  const { name, declaration } = qualifiedName(predicate);
  if (object.termType === 'NamedNode')
    return `    <${name}${declaration} rdf:resource="${xmlAttribute(object.value)}"/>\n`;
  if (object.termType === 'BlankNode')
    return `    <${name}${declaration} rdf:nodeID="${nodeId(object.value)}"/>\n`;
  if (object.termType !== 'Literal') throw new Error(`Cannot write a ${object.termType} in RDF/XML`);
  let attributes = declaration;
  if (object.language) attributes += ` xml:lang="${xmlAttribute(object.language)}"`;
  else if (object.datatype.value !== XSD_STRING && object.datatype.value !== RDF_LANG_STRING) {
    attributes += ` rdf:datatype="${xmlAttribute(object.datatype.value)}"`;
  }
  return `    <${name}${attributes}>${xmlText(object.value)}</${name}>\n`;
}

function rdfXmlDescriptions(quads: readonly Quad[]): string {
  let out = '';
  for (const { subject, quads: group } of bySubject(quads).values()) {
    out += `  <rdf:Description ${xmlSubject(subject)}>\n`;
    for (const quad of group) out += xmlProperty(quad.predicate.value, quad.object as Quad_Object);
    out += '  </rdf:Description>\n';
  }
  return out;
}

function rdfXmlChunkWriter(): DcatChunkWriter {
  const namespaces = Object.entries(PREFIXES)
    .map(([prefix, namespace]) => `\n    xmlns:${prefix}="${xmlAttribute(namespace)}"`)
    .join('');
  return {
    start(quads) {
      return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${namespaces}>\n${rdfXmlDescriptions(quads)}`;
    },
    write: rdfXmlDescriptions,
    end() {
      return '</rdf:RDF>\n';
    },
  };
}

// --- JSON-LD ------------------------------------------------------------------------------------------------

/** The inline context: only prefixes, so every key is a compact IRI and values carry their own types. */
export const JSONLD_CONTEXT: Record<string, string> = { ...PREFIXES };

const PREFIX_ENTRIES = Object.entries(PREFIXES);

// Only predicates, classes and datatypes are compacted: a vocabulary-sized set, so the cache stays small.
const compacted = new Map<string, string>();

function compactIri(value: string): string {
  let out = compacted.get(value);
  if (out !== undefined) return out;
  out = value;
  for (const [prefix, namespace] of PREFIX_ENTRIES) {
    // A local part starting with "//" would read as an absolute IRI, not a compact one.
    if (
      value.startsWith(namespace) &&
      value.length > namespace.length &&
      !value.startsWith('//', namespace.length)
    ) {
      out = `${prefix}:${value.slice(namespace.length)}`;
      break;
    }
  }
  if (compacted.size < 10_000) compacted.set(value, out);
  return out;
}

function nodeReference(term: Quad_Subject | Quad_Object): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

type JsonValue = Record<string, string>;

function jsonLdValue(object: Quad_Object): JsonValue {
  if (object.termType === 'NamedNode' || object.termType === 'BlankNode')
    return { '@id': nodeReference(object) };
  if (object.termType !== 'Literal') throw new Error(`Cannot write a ${object.termType} in JSON-LD`);
  if (object.language) return { '@value': object.value, '@language': object.language };
  if (object.datatype.value === XSD_STRING) return { '@value': object.value };
  return { '@value': object.value, '@type': compactIri(object.datatype.value) };
}

/**
 * Node objects for the quads, one per subject. Quads whose subject is `reverseSubject` (the catalog, whose
 * node object was written in the head) become `@reverse` links on their object's node instead.
 */
function jsonLdNodes(quads: readonly Quad[], reverseSubject?: string): Record<string, unknown>[] {
  const groups = bySubject(quads);
  const nodes = new Map<string, Record<string, unknown>>();
  const reverse: Quad[] = [];
  for (const [key, { subject, quads: group }] of groups) {
    if (
      reverseSubject !== undefined &&
      subject.termType === 'NamedNode' &&
      subject.value === reverseSubject
    ) {
      reverse.push(...group);
      continue;
    }
    const node: Record<string, unknown> = { '@id': nodeReference(subject) };
    const types: string[] = [];
    for (const quad of group) {
      if (quad.predicate.value === RDF_TYPE && quad.object.termType === 'NamedNode') {
        types.push(compactIri(quad.object.value));
        continue;
      }
      const property = compactIri(quad.predicate.value);
      const values = (node[property] as JsonValue[] | undefined) ?? [];
      values.push(jsonLdValue(quad.object as Quad_Object));
      node[property] = values;
    }
    if (types.length > 0) node['@type'] = types;
    nodes.set(key, node);
  }
  const loose: Quad[] = [];
  for (const quad of reverse) {
    const target = nodes.get(termKey(quad.object));
    if (!target) {
      loose.push(quad);
      continue;
    }
    const links = (target['@reverse'] as Record<string, JsonValue[]> | undefined) ?? {};
    const property = compactIri(quad.predicate.value);
    links[property] = [...(links[property] ?? []), { '@id': nodeReference(quad.subject) }];
    target['@reverse'] = links;
  }
  return [...nodes.values(), ...(loose.length > 0 ? jsonLdNodes(loose) : [])];
}

function jsonLdChunkWriter(catalogIri: string): DcatChunkWriter {
  let first = true;
  const body = (quads: readonly Quad[], reverseSubject?: string) => {
    let out = '';
    for (const node of jsonLdNodes(quads, reverseSubject)) {
      out += `${first ? '\n' : ',\n'}    ${JSON.stringify(node)}`;
      first = false;
    }
    return out;
  };
  return {
    start(quads) {
      return `{\n  "@context": ${JSON.stringify(JSONLD_CONTEXT)},\n  "@graph": [${body(quads)}`;
    },
    write(quads) {
      return body(quads, catalogIri);
    },
    end() {
      return '\n  ]\n}\n';
    },
  };
}
