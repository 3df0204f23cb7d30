/**
 * Reading harvested documents into an n3 Store: format detection, the Turtle / N-Triples, RDF/XML and
 * JSON-LD parsers, and the US Project Open Data `data.json` (DCAT-US 1.1) mapping to the same DCAT
 * triples. Bad input never throws: it becomes a one-line message that says where the problem is.
 */

import type { JsonLdDocument } from 'jsonld';
import jsonld from 'jsonld';
import type { BlankNode, NamedNode, Quad, Quad_Object, Quad_Subject } from 'n3';
import { DataFactory, Parser, Store } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { offlineDocumentLoader } from './dcat.context.ts';
import type { DcatFormat } from './dcat.export.ts';
import { cleanText, iri, RDF_TYPE } from './dcat.terms.ts';
import { EU_ACCESS_RIGHT } from './dcat.vocabularies.ts';

const { namedNode, literal, blankNode, quad, defaultGraph } = DataFactory;

export type HarvestFormat = DcatFormat | 'datajson';

export type ParsedDocument = { store: Store; format: HarvestFormat } | { fatal: string };

const FORMAT_NAMES: Record<HarvestFormat, string> = {
  ttl: 'Turtle',
  nt: 'N-Triples',
  rdf: 'RDF/XML',
  jsonld: 'JSON-LD',
  datajson: 'data.json',
};

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** Formats a content type names; plain JSON is decided after looking inside. */
function formatFromContentType(contentType: string | undefined): HarvestFormat | 'json' | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  switch (type) {
    case 'text/turtle':
    case 'application/x-turtle':
    case 'text/n3':
      return 'ttl';
    case 'application/n-triples':
      return 'nt';
    case 'application/rdf+xml':
    case 'application/xml':
    case 'text/xml':
      return 'rdf';
    case 'application/ld+json':
      return 'jsonld';
    case 'application/json':
      return 'json';
    default:
      return undefined;
  }
}

function formatFromContent(input: string): HarvestFormat | 'json' {
  const start = input.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  // An XML declaration, comment, doctype or element; Turtle only starts with "<" for an IRI like <http://…>.
  if (/^<(?:\?xml|!--|!DOCTYPE|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?[\s/>])/.test(start)) return 'rdf';
  return 'ttl';
}

/** data.json (DCAT-US) rather than JSON-LD: the POD context, or a `dataset` array with no context at all. */
function isDataJson(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((item) => isObject(item) && !('@id' in item) && 'title' in item);
  }
  if (!isObject(value)) return false;
  const context = value['@context'];
  if (typeof context === 'string' && /project-open-data/.test(context)) return true;
  if (
    typeof value.conformsTo === 'string' &&
    /project-open-data/.test(value.conformsTo) &&
    context === undefined
  ) {
    return true;
  }
  return context === undefined && Array.isArray(value.dataset);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(input: string): { value: unknown } | { fatal: string } {
  try {
    return { value: JSON.parse(input) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const where =
      position !== undefined && !/line \d+/.test(message)
        ? ` (line ${input.slice(0, Number(position)).split('\n').length})`
        : '';
    return { fatal: `Invalid JSON: ${oneLine(message)}${where}` };
  }
}

/** Parses the input into a store, detecting the format from the options, the content type or the content. */
export async function parseDocument(
  input: string,
  options: { format?: HarvestFormat; baseIri: string; contentType?: string },
): Promise<ParsedDocument> {
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { fatal: 'The document is empty' };
  let format: HarvestFormat | 'json' =
    options.format ?? formatFromContentType(options.contentType) ?? formatFromContent(text);
  let json: unknown;
  if (format === 'json' || format === 'jsonld' || format === 'datajson') {
    const parsed = parseJson(text);
    if ('fatal' in parsed) return parsed;
    json = parsed.value;
    if (format === 'json') format = isDataJson(json) ? 'datajson' : 'jsonld';
  }
  try {
    switch (format) {
      case 'ttl':
      case 'nt':
        return { store: parseTurtle(text, options.baseIri, format), format };
      case 'rdf':
        return { store: await parseRdfXml(text, options.baseIri), format };
      case 'jsonld':
        return await parseJsonLd(json, options.baseIri);
      case 'datajson':
        return { store: dataJsonStore(json, options.baseIri), format };
    }
  } catch (error) {
    // The XML parser says "4:10: message"; say which number is the line.
    const message = oneLine((error as Error).message ?? String(error)).replace(
      /^(\d+):(\d+): /,
      'line $1, column $2: ',
    );
    return { fatal: `Invalid ${FORMAT_NAMES[format]}: ${message}` };
  }
}

function parseTurtle(input: string, baseIri: string, format: 'ttl' | 'nt'): Store {
  const parser = new Parser({ baseIRI: baseIri, format: format === 'nt' ? 'N-Triples' : 'Turtle' });
  const store = new Store();
  // n3's messages already say "on line N".
  store.addQuads(parser.parse(input));
  return store;
}

function parseRdfXml(input: string, baseIri: string): Promise<Store> {
  return new Promise((resolve, reject) => {
    const store = new Store();
    // Real portals use relative IRIs (even e-mail addresses in rdf:resource); the document URL resolves them.
    const parser = new RdfXmlParser({ baseIRI: baseIri, trackPosition: true });
    parser.on('data', (q: Quad) => store.addQuad(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(store));
    parser.write(input);
    parser.end();
  });
}

type JsonLdLoader = NonNullable<NonNullable<Parameters<typeof jsonld.toRDF>[1]>['documentLoader']>;

interface JsonLdTerm {
  termType: string;
  value: string;
  language?: string;
  datatype?: { value: string };
}

interface JsonLdQuad {
  subject: JsonLdTerm;
  predicate: JsonLdTerm;
  object: JsonLdTerm;
}

function fromJsonLdTerm(term: JsonLdTerm): NamedNode | BlankNode | Quad_Object {
  if (term.termType === 'BlankNode') return blankNode(term.value.replace(/^_:/, ''));
  if (term.termType === 'NamedNode') return namedNode(term.value);
  return literal(term.value, term.language || (term.datatype ? namedNode(term.datatype.value) : undefined));
}

async function parseJsonLd(document: unknown, baseIri: string): Promise<ParsedDocument> {
  const refused: string[] = [];
  let dataset: JsonLdQuad[];
  try {
    dataset = (await jsonld.toRDF(document as JsonLdDocument, {
      base: baseIri,
      // The typings describe an older callback-style loader; jsonld 9 calls it with the URL only.
      documentLoader: offlineDocumentLoader(refused) as unknown as JsonLdLoader,
    })) as unknown as JsonLdQuad[];
  } catch (error) {
    if (refused.length > 0) {
      return {
        fatal: `JSON-LD context ${refused[0]} is not available offline: harvesting does not load remote contexts (only the DCAT-AP 3 context is built in); inline the context in the document`,
      };
    }
    return { fatal: `Invalid JSON-LD: ${oneLine((error as Error).message)}` };
  }
  const store = new Store();
  for (const q of dataset) {
    const subject = fromJsonLdTerm(q.subject);
    const object = fromJsonLdTerm(q.object);
    if (subject.termType === 'Literal' || q.predicate.termType !== 'NamedNode') continue;
    // Named graphs are flattened: a catalog is one graph for our purposes.
    store.addQuad(quad(subject as Quad_Subject, namedNode(q.predicate.value), object, defaultGraph()));
  }
  return { store, format: 'jsonld' };
}

// --- data.json (DCAT-US 1.1) ---------------------------------------------------------------------------------

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

function isUrl(value: string): boolean {
  return /^[a-z][\w+.-]*:/i.test(value) && URL.canParse(value);
}

/** A URL-valued field: an IRI when it is one, else kept as text so the mapping can report it. */
function urlTerm(value: string): NamedNode | Quad_Object {
  return isUrl(value) ? namedNode(value) : literal(cleanText(value));
}

const ACCESS_LEVELS: Record<string, string> = {
  public: 'PUBLIC',
  'restricted public': 'RESTRICTED',
  'non-public': 'NON_PUBLIC',
};

/** Maps DCAT-US 1.1 datasets to the DCAT triples the RDF mapping reads, so both share one mapping. */
function dataJsonStore(document: unknown, baseIri: string): Store {
  const datasets: unknown[] = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.dataset)
      ? document.dataset
      : [];
  if (!Array.isArray(document) && !(isObject(document) && Array.isArray(document.dataset))) {
    throw new Error('a data.json catalog needs a "dataset" array');
  }
  const store = new Store();
  const add = (s: Quad_Subject, p: NamedNode, o: Quad_Object) => store.addQuad(quad(s, p, o));
  const catalog = namedNode(baseIri);
  add(catalog, RDF_TYPE, iri('dcat', 'Catalog'));
  datasets.forEach((entry, index) => {
    if (!isObject(entry)) return;
    const node = blankNode(`dataset${index}`);
    add(catalog, iri('dcat', 'dataset'), node);
    add(node, RDF_TYPE, iri('dcat', 'Dataset'));
    const text = (p: NamedNode, value: unknown) => {
      for (const v of strings(value)) add(node, p, literal(cleanText(v)));
    };
    text(iri('dct', 'identifier'), entry.identifier);
    text(iri('dct', 'title'), entry.title);
    text(iri('dct', 'description'), entry.description);
    text(iri('dcat', 'keyword'), entry.keyword);
    text(iri('dct', 'modified'), entry.modified);
    text(iri('dct', 'issued'), entry.issued);
    text(iri('dct', 'accrualPeriodicity'), entry.accrualPeriodicity);
    text(iri('dct', 'spatial'), entry.spatial);
    text(iri('dct', 'temporal'), entry.temporal);
    text(iri('dcat', 'theme'), entry.theme);
    for (const level of strings(entry.accessLevel)) {
      const code = ACCESS_LEVELS[level.toLowerCase()];
      add(
        node,
        iri('dct', 'accessRights'),
        code ? namedNode(EU_ACCESS_RIGHT + code) : literal(cleanText(level)),
      );
    }
    for (const license of strings(entry.license)) add(node, iri('dct', 'license'), urlTerm(license));
    for (const related of strings(entry.references))
      if (isUrl(related)) add(node, iri('dct', 'references'), namedNode(related));
    if (isObject(entry.publisher)) {
      const publisher = blankNode(`dataset${index}_publisher`);
      add(node, iri('dct', 'publisher'), publisher);
      add(publisher, RDF_TYPE, iri('foaf', 'Agent'));
      for (const name of strings(entry.publisher.name))
        add(publisher, iri('foaf', 'name'), literal(cleanText(name)));
    }
    if (isObject(entry.contactPoint)) {
      const contact = blankNode(`dataset${index}_contact`);
      add(node, iri('dcat', 'contactPoint'), contact);
      add(contact, RDF_TYPE, iri('vcard', 'Kind'));
      for (const name of strings(entry.contactPoint.fn))
        add(contact, iri('vcard', 'fn'), literal(cleanText(name)));
      for (const email of strings(entry.contactPoint.hasEmail))
        add(contact, iri('vcard', 'hasEmail'), urlTerm(email));
    }
    const distributions = Array.isArray(entry.distribution) ? entry.distribution : [];
    distributions.forEach((item: unknown, position: number) => {
      if (!isObject(item)) return;
      const distribution = blankNode(`dataset${index}_distribution${position}`);
      add(node, iri('dcat', 'distribution'), distribution);
      add(distribution, RDF_TYPE, iri('dcat', 'Distribution'));
      for (const url of strings(item.downloadURL))
        add(distribution, iri('dcat', 'downloadURL'), urlTerm(url));
      for (const url of strings(item.accessURL)) add(distribution, iri('dcat', 'accessURL'), urlTerm(url));
      for (const value of strings(item.mediaType))
        add(distribution, iri('dcat', 'mediaType'), literal(cleanText(value)));
      for (const value of strings(item.format))
        add(distribution, iri('dct', 'format'), literal(cleanText(value)));
      for (const value of strings(item.title))
        add(distribution, iri('dct', 'title'), literal(cleanText(value)));
      for (const value of strings(item.description)) {
        add(distribution, iri('dct', 'description'), literal(cleanText(value)));
      }
    });
  });
  return store;
}
