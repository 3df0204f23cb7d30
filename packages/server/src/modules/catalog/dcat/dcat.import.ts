/**
 * Harvest: turns a DCAT document (DCAT-AP 1–3 in Turtle, N-Triples, RDF/XML or JSON-LD, or a DCAT-US
 * `data.json`) into catalog metadata. Real catalogs rarely conform, so the mapping is lenient: it imports
 * what it can, says per record what it had to repair, and skips only datasets it cannot identify or name.
 */
import { createHash } from 'node:crypto';
import type { Literal, Quad_Object, Quad_Subject, Store, Term } from 'n3';
import { DataFactory } from 'n3';
import { LICENSES } from '../catalog.codelists.ts';
import {
  type ContactPoint,
  type Distribution,
  type DistributionKind,
  derivedGrade,
  type EntryMetadata,
  FIELD_TYPES,
  type FieldType,
  GRADES,
  type Grade,
  type InformationItem,
  type LocalizedText,
  type OpenType,
  PERSONAL_INFO,
  type PersonalInfo,
  RESOURCE_CLASSIFICATIONS,
  type ResourceClassification,
  SHARE_TYPES,
  type ShareType,
  type TemporalCoverage,
  type UpdateCycle,
} from '../catalog.model.ts';
import { type HarvestFormat, parseDocument } from './dcat.parse.ts';
import { iri, RDF_TYPE } from './dcat.terms.ts';
import {
  formatFromUrl,
  formatFromValue,
  languageCodeFromIri,
  licenseFromValue,
  mediaTypeFromValue,
  NS,
  openTypeFromAccessRight,
  THEME_PATH,
  themeFromValue,
  updateCycleFromFrequency,
} from './dcat.vocabularies.ts';

const { namedNode } = DataFactory;

/** Harvested metadata: the entry without the identity the service assigns (code, organisation). */
export type HarvestedMetadata = Omit<EntryMetadata, 'organizationId' | 'providerCreditCode' | 'code'> &
  Partial<Pick<EntryMetadata, 'organizationId' | 'providerCreditCode' | 'code'>>;

export interface HarvestedRecord {
  /** The dataset's IRI (or its identifier when the dataset is a blank node): the key for re-harvests. */
  sourceUri: string;
  publisherName?: string;
  metadata: HarvestedMetadata;
  /** What the mapping had to fix or assume, in words an operator can act on. */
  repairs: string[];
  /** dct:relation targets, to be matched against the sourceUri of other harvested entries. */
  relatedSourceUris: string[];
}

export interface HarvestSkip {
  sourceUri?: string;
  title?: string;
  reason: string;
}

export interface HarvestParseResult {
  fatal?: string;
  records: HarvestedRecord[];
  skipped: HarvestSkip[];
}

export interface HarvestParseOptions {
  format?: HarvestFormat;
  /** The document URL: resolves relative IRIs and names datasets that only have an identifier. */
  baseIri: string;
  contentType?: string;
}

/** Parses a harvested document. Never throws for bad input: a document that cannot be read gives `fatal`. */
export async function parseDcat(input: string, options: HarvestParseOptions): Promise<HarvestParseResult> {
  try {
    const parsed = await parseDocument(input, options);
    if ('fatal' in parsed) return { fatal: parsed.fatal, records: [], skipped: [] };
    return extractDatasets(parsed.store, options.baseIri);
  } catch (error) {
    // Parsers report bad input themselves; this is the last guard so that a harvest job never crashes.
    const message = error instanceof Error ? error.message : String(error);
    return {
      fatal: `The document could not be read: ${message.replace(/\s+/g, ' ')}`,
      records: [],
      skipped: [],
    };
  }
}

// --- Reading the graph --------------------------------------------------------------------------------------

const P = {
  title: iri('dct', 'title'),
  description: iri('dct', 'description'),
  identifier: iri('dct', 'identifier'),
  keyword: iri('dcat', 'keyword'),
  theme: iri('dcat', 'theme'),
  publisher: iri('dct', 'publisher'),
  accessRights: iri('dct', 'accessRights'),
  accrualPeriodicity: iri('dct', 'accrualPeriodicity'),
  issued: iri('dct', 'issued'),
  modified: iri('dct', 'modified'),
  language: iri('dct', 'language'),
  spatial: iri('dct', 'spatial'),
  temporal: iri('dct', 'temporal'),
  relation: iri('dct', 'relation'),
  license: iri('dct', 'license'),
  format: iri('dct', 'format'),
  contactPoint: iri('dcat', 'contactPoint'),
  distribution: iri('dcat', 'distribution'),
  dataset: iri('dcat', 'dataset'),
  accessURL: iri('dcat', 'accessURL'),
  downloadURL: iri('dcat', 'downloadURL'),
  accessService: iri('dcat', 'accessService'),
  endpointURL: iri('dcat', 'endpointURL'),
  mediaType: iri('dcat', 'mediaType'),
  byteSize: iri('dcat', 'byteSize'),
  startDate: iri('dcat', 'startDate'),
  endDate: iri('dcat', 'endDate'),
  prefLabel: iri('skos', 'prefLabel'),
  label: iri('rdfs', 'label'),
  fn: iri('vcard', 'fn'),
  hasEmail: iri('vcard', 'hasEmail'),
  hasTelephone: iri('vcard', 'hasTelephone'),
  hasValue: iri('vcard', 'hasValue'),
  foafName: iri('foaf', 'name'),
};

// Older or neighbouring vocabularies that harvested catalogs use for the same things.
const ALIASES = {
  contactPoint: [P.contactPoint, namedNode(`${NS.adms}contactPoint`)],
  license: [P.license, namedNode(`${NS.dct}#license`)],
  startDate: [P.startDate, namedNode('http://schema.org/startDate')],
  endDate: [P.endDate, namedNode('http://schema.org/endDate')],
  label: [
    P.prefLabel,
    namedNode(`${NS.locn}geographicName`),
    P.label,
    P.title,
    P.foafName,
    P.fn,
    namedNode(`${NS.rdf}value`),
  ],
  name: [P.foafName, P.fn, namedNode(`${NS.vcard}organization-name`), P.prefLabel, P.label, P.title],
  email: [P.hasEmail, namedNode(`${NS.foaf}mbox`)],
};

const TIME = 'http://www.w3.org/2006/time#';

class Graph {
  readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  objects(subject: Term, predicates: Term | Term[]): Quad_Object[] {
    const list = Array.isArray(predicates) ? predicates : [predicates];
    return list.flatMap((predicate) => this.store.getObjects(subject, predicate, null) as Quad_Object[]);
  }

  literals(subject: Term, predicates: Term | Term[]): Literal[] {
    return this.objects(subject, predicates).filter((term): term is Literal => term.termType === 'Literal');
  }

  hasType(subject: Term, type: Term): boolean {
    return this.store.countQuads(subject, RDF_TYPE, type, null) > 0;
  }

  /** A human label of a node: its own literal, or a label property, preferring Chinese, then untagged. */
  label(term: Term, predicates: Term[] = ALIASES.label): string | undefined {
    if (term.termType === 'Literal') return term.value.trim() || undefined;
    return preferredText(this.literals(term, predicates));
  }

  /** The value of a URL-ish property: IRI, or literal (anyURI or plain) as harvested catalogs do. */
  url(subject: Term, predicates: Term | Term[]): string | undefined {
    for (const term of this.objects(subject, predicates)) {
      if (term.termType === 'NamedNode' || term.termType === 'Literal') {
        const value = term.value.trim();
        if (value) return value;
      }
    }
    return undefined;
  }
}

function languageOf(term: Literal): string {
  return term.language.toLowerCase().split('-')[0] ?? '';
}

function preferredText(literals: Literal[]): string | undefined {
  const rank = (term: Literal) => ['zh', '', 'en', 'fr'].indexOf(languageOf(term)) + 1 || 9;
  const best = [...literals].filter((term) => term.value.trim()).sort((a, b) => rank(a) - rank(b))[0];
  return best?.value.trim();
}

function isLatinText(value: string): boolean {
  return (
    /\p{Script=Latin}/u.test(value) &&
    !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(value)
  );
}

const HTML = /<\/?(?:p|br|div|span|a|ul|ol|li|strong|em|b|i|h[1-6]|table|tr|td)\b[^>]*>/i;

function plainText(value: string): string {
  if (!HTML.test(value)) return value.trim();
  return value
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/**
 * Picks the zh / en / fr texts by language tag (zh-CN counts as zh). Chinese is required: without it, an
 * untagged or other-language text stands in for it (and for English too when it is Latin script).
 */
function localizedText(literals: Literal[], what: string, repairs: Repairs): LocalizedText | undefined {
  const found: { zh?: string; en?: string; fr?: string } = {};
  const others: Literal[] = [];
  let html = false;
  for (const term of literals) {
    const value = plainText(term.value);
    if (!value) continue;
    if (value !== term.value.trim()) html = true;
    const language = languageOf(term);
    if (language === 'zh' || language === 'en' || language === 'fr') found[language] ??= value;
    else others.push(term);
  }
  if (html) repairs.add(`${what}: HTML markup removed`);
  if (found.zh === undefined) {
    // Untagged text first, then other languages in document order.
    const source = others.find((term) => term.language === '') ?? others[0];
    if (source) {
      const value = plainText(source.value);
      found.zh = value;
      const described = source.language ? `"${source.language}" text` : 'untagged text';
      if (found.en === undefined && isLatinText(value)) {
        found.en = value;
        repairs.add(`${what}: no Chinese or English text; used the ${described} for both`);
      } else {
        repairs.add(`${what}: no Chinese text; used the ${described}`);
      }
    } else {
      const stand = found.en ?? found.fr;
      if (stand !== undefined) {
        found.zh = stand;
        repairs.add(
          `${what}: no Chinese text; used the ${found.en !== undefined ? 'English' : 'French'} text`,
        );
      }
    }
  }
  if (found.zh === undefined) return undefined;
  const out: LocalizedText = { zh: found.zh };
  if (found.en !== undefined) out.en = found.en;
  if (found.fr !== undefined) out.fr = found.fr;
  return out;
}

/** Repair notes of one record, each said once. */
class Repairs {
  readonly #notes = new Set<string>();

  add(note: string): void {
    this.#notes.add(note);
  }

  list(): string[] {
    return [...this.#notes];
  }
}

function describe(term: Term): string {
  return term.termType === 'Literal' ? `"${term.value.trim().slice(0, 80)}"` : `<${term.value}>`;
}

// --- Dates --------------------------------------------------------------------------------------------------

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** YYYY-MM-DD from xsd:date, xsd:dateTime, gYearMonth, gYear or plain strings of those shapes. */
function isoDate(value: string): { date: string; approximate: boolean } | undefined {
  const text = value.trim();
  const full = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|Z|[+-]\d{2}:?\d{2}$)/.exec(text);
  if (full) {
    const [year, month, day] = [Number(full[1]), Number(full[2]), Number(full[3])];
    return validDay(year, month, day)
      ? { date: `${full[1]}-${full[2]}-${full[3]}`, approximate: false }
      : undefined;
  }
  const yearMonth = /^(\d{4})-(\d{2})$/.exec(text);
  if (yearMonth && Number(yearMonth[2]) >= 1 && Number(yearMonth[2]) <= 12) {
    return { date: `${yearMonth[1]}-${yearMonth[2]}-01`, approximate: true };
  }
  const year = /^(\d{4})$/.exec(text);
  if (year) return { date: `${year[1]}-01-01`, approximate: true };
  return undefined;
}

function dateField(terms: Quad_Object[], what: string, repairs: Repairs): string | undefined {
  for (const term of terms) {
    if (term.termType !== 'Literal') continue;
    const parsed = isoDate(term.value);
    if (parsed) {
      if (parsed.approximate)
        repairs.add(`${what} ${describe(term)} is not a full date; read as ${parsed.date}`);
      return parsed.date;
    }
    repairs.add(`${what} ${describe(term)} is not a date; dropped`);
  }
  return undefined;
}

// --- Dataset mapping ----------------------------------------------------------------------------------------

function extractDatasets(store: Store, baseIri: string): HarvestParseResult {
  const graph = new Graph(store);
  const nodes = new Map<string, Quad_Subject>();
  const collect = (term: Term) => {
    if (term.termType === 'NamedNode' || term.termType === 'BlankNode') {
      nodes.set(`${term.termType}:${term.value}`, term as Quad_Subject);
    }
  };
  for (const subject of store.getSubjects(RDF_TYPE, iri('dcat', 'Dataset'), null)) collect(subject);
  for (const object of store.getObjects(null, P.dataset, null)) collect(object);

  const result: HarvestParseResult = { records: [], skipped: [] };
  for (const node of nodes.values()) {
    let mapped: HarvestedRecord | HarvestSkip;
    try {
      mapped = mapDataset(graph, node, baseIri);
    } catch (error) {
      // One odd dataset must not stop the others.
      const reason = `The dataset could not be mapped: ${error instanceof Error ? error.message : String(error)}`;
      mapped = node.termType === 'NamedNode' ? { sourceUri: node.value, reason } : { reason };
    }
    if ('reason' in mapped) result.skipped.push(mapped);
    else result.records.push(mapped);
  }
  // An empty catalog is fine; a document that is not DCAT at all is not.
  if (nodes.size === 0 && store.countQuads(null, RDF_TYPE, iri('dcat', 'Catalog'), null) === 0) {
    result.fatal = 'The document contains no dcat:Catalog and no dcat:Dataset';
  }
  return result;
}

function sourceUriOf(graph: Graph, node: Quad_Subject, baseIri: string): string | undefined {
  if (node.termType === 'NamedNode') return node.value;
  const identifier = graph.literals(node, P.identifier)[0]?.value.trim();
  if (!identifier) return undefined;
  if (/^[a-z][\w+.-]*:/i.test(identifier) && URL.canParse(identifier)) return identifier;
  return `${baseIri}#${encodeURIComponent(identifier)}`;
}

function mapDataset(graph: Graph, node: Quad_Subject, baseIri: string): HarvestedRecord | HarvestSkip {
  const repairs = new Repairs();
  const sourceUri = sourceUriOf(graph, node, baseIri);
  let title = localizedText(graph.literals(node, P.title), 'title', repairs);
  if (!title) {
    const fallback = localizedText(graph.literals(node, [P.label, P.prefLabel]), 'title', repairs);
    if (fallback) {
      title = fallback;
      repairs.add('no dct:title; used the rdfs:label / skos:prefLabel');
    }
  }
  if (!title) {
    return { ...(sourceUri ? { sourceUri } : {}), reason: 'The dataset has no title (dct:title)' };
  }
  if (!sourceUri) {
    return { title: title.zh, reason: 'The dataset has neither an IRI nor an identifier (dct:identifier)' };
  }

  let summary = localizedText(graph.literals(node, P.description), 'description', repairs);
  if (!summary) {
    summary = { ...title };
    repairs.add('no description; used the title');
  }

  const keywords = [
    ...new Set(
      graph
        .literals(node, P.keyword)
        .map((term) => term.value.trim())
        .filter(Boolean),
    ),
  ];

  const distributions = byPosition(
    graph,
    graph.objects(node, P.distribution).filter((term) => term.termType !== 'Literal'),
  ).map((term, index) => mapDistribution(graph, term, node, index, repairs));

  const ownFormats = graph.literals(node, iri('dp', 'format')).map((term) => term.value.trim());
  const formats: string[] = [];
  for (const format of [...ownFormats, ...distributions.map((d) => d.format)]) {
    if (format && !formats.some((known) => known.toLowerCase() === format.toLowerCase()))
      formats.push(format);
  }

  const items = informationItems(graph, node, repairs);
  const declaredGrade = own(graph, node, 'grade', GRADES, 'general-1', repairs);

  const metadata: HarvestedMetadata = {
    title,
    summary,
    classification: own<ResourceClassification>(
      graph,
      node,
      'classification',
      RESOURCE_CLASSIFICATIONS,
      'thematic',
      repairs,
    ),
    theme: themeOf(graph, node, repairs),
    keywords,
    formats,
    informationItems: items,
    shareType: own<ShareType>(graph, node, 'shareType', SHARE_TYPES, 'unconditional', repairs),
    openType: openTypeOf(graph, node, repairs),
    updateCycle: updateCycleOf(graph, node, repairs),
    relatedCodes: [],
    grade: derivedGrade(declaredGrade, items),
    distributions,
    sourceUri,
  };
  const ownText = (property: string) =>
    graph.literals(node, iri('dp', property))[0]?.value.trim() || undefined;
  const shareCondition = ownText('shareCondition');
  if (shareCondition) metadata.shareCondition = shareCondition;
  const shareMethod = ownText('shareMethod');
  if (shareMethod) metadata.shareMethod = shareMethod;
  const openCondition = ownText('openCondition');
  if (openCondition) metadata.openCondition = openCondition;
  const releaseDate = dateField(graph.objects(node, P.issued), 'dct:issued', repairs);
  if (releaseDate) metadata.releaseDate = releaseDate;
  const lastUpdate = dateField(graph.objects(node, P.modified), 'dct:modified', repairs);
  if (lastUpdate) metadata.lastUpdate = lastUpdate;

  const license = licenseOf(graph, node);
  if (license) metadata.license = license;
  const contact = contactOf(graph, node, repairs);
  if (contact) metadata.contactPoint = contact;
  const spatial = spatialOf(graph, node);
  if (spatial) metadata.spatialCoverage = spatial;
  const temporal = temporalOf(graph, node, repairs);
  if (temporal) metadata.temporalCoverage = temporal;
  const extras = extrasOf(graph, node);
  if (extras) metadata.extras = extras;
  checkLanguages(graph, node, repairs);

  const record: HarvestedRecord = {
    sourceUri,
    metadata,
    repairs: repairs.list(),
    relatedSourceUris: graph
      .objects(node, P.relation)
      .filter((term) => term.termType === 'NamedNode')
      .map((term) => term.value),
  };
  const publisher = graph.objects(node, P.publisher)[0];
  const publisherName = publisher ? graph.label(publisher, ALIASES.name) : undefined;
  if (publisherName) record.publisherName = publisherName;
  return record;
}

/** Nodes in the order of their dp:position (our own export), else in document order. */
function byPosition(graph: Graph, terms: Quad_Object[]): Quad_Object[] {
  const position = (term: Term) => {
    const value = Number(graph.literals(term, iri('dp', 'position'))[0]?.value);
    return Number.isFinite(value) ? value : Number.MAX_SAFE_INTEGER;
  };
  return terms
    .map((term, order) => ({ term, order, position: position(term) }))
    .sort((a, b) => a.position - b.position || a.order - b.order)
    .map(({ term }) => term);
}

/** One of our own `dp:` fields, checked against its code list. */
function own<T extends string>(
  graph: Graph,
  node: Term,
  property: string,
  allowed: readonly T[],
  fallback: T,
  repairs: Repairs,
): T {
  const value = graph.literals(node, iri('dp', property))[0]?.value.trim();
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  repairs.add(`dp:${property} "${value}" is not a known value; set to "${fallback}"`);
  return fallback;
}

/** Our own theme concepts first (they say exactly what the source meant), then the EU data themes. */
function themeRank(term: Term): number {
  if (term.termType === 'NamedNode' && term.value.includes(THEME_PATH)) return 0;
  return term.termType === 'NamedNode' ? 1 : 2;
}

function themeOf(graph: Graph, node: Term, repairs: Repairs): string {
  const values = graph.objects(node, P.theme).sort((a, b) => themeRank(a) - themeRank(b));
  let approximate: { theme: string; from: Term } | undefined;
  for (const term of values) {
    const candidates = [
      term.value,
      ...(term.termType !== 'Literal' ? graph.literals(term, ALIASES.label) : []),
    ];
    for (const candidate of candidates) {
      const found = themeFromValue(typeof candidate === 'string' ? candidate : candidate.value);
      if (found?.exact) return found.theme;
      if (found && !approximate) approximate = { theme: found.theme, from: term };
    }
  }
  if (approximate) {
    repairs.add(`theme ${describe(approximate.from)} read as "${approximate.theme}"`);
    return approximate.theme;
  }
  repairs.add(
    values.length > 0
      ? `theme ${values.map(describe).join(', ')} has no matching theme; set to "government"`
      : 'no theme; set to "government"',
  );
  return 'government';
}

function openTypeOf(graph: Graph, node: Term, repairs: Repairs): OpenType {
  const values = graph.objects(node, P.accessRights);
  for (const term of values) {
    const direct = openTypeFromAccessRight(term.value);
    if (direct) {
      if (term.termType === 'Literal') repairs.add(`dct:accessRights given as text ${describe(term)}`);
      return direct;
    }
    const label = term.termType !== 'Literal' ? graph.label(term) : undefined;
    const fromLabel = label ? openTypeFromAccessRight(label) : undefined;
    if (fromLabel) return fromLabel;
  }
  repairs.add(
    values.length > 0
      ? `dct:accessRights ${values.map(describe).join(', ')} not understood; open type set to "unconditional"`
      : 'no dct:accessRights; open type set to "unconditional"',
  );
  return 'unconditional';
}

function updateCycleOf(graph: Graph, node: Term, repairs: Repairs): UpdateCycle {
  const values = graph.objects(node, P.accrualPeriodicity);
  for (const term of values) {
    const candidates = [
      term.value,
      ...(term.termType !== 'Literal' ? graph.literals(term, ALIASES.label) : []),
    ];
    for (const candidate of candidates) {
      const found = updateCycleFromFrequency(typeof candidate === 'string' ? candidate : candidate.value);
      if (!found) continue;
      if (!found.exact) repairs.add(`frequency ${describe(term)} approximated as "${found.cycle}"`);
      return found.cycle;
    }
  }
  repairs.add(
    values.length > 0
      ? `frequency ${values.map(describe).join(', ')} not understood; update cycle set to "irregular"`
      : 'no dct:accrualPeriodicity; update cycle set to "irregular"',
  );
  return 'irregular';
}

const LICENSE_CODES = LICENSES.map((item) => item.code);

function licenseValue(graph: Graph, term: Term): string | undefined {
  if (term.termType === 'NamedNode' || term.termType === 'Literal') {
    return term.value.trim() ? licenseFromValue(term.value, LICENSE_CODES) : undefined;
  }
  const named = graph.literals(term, [P.identifier, ...ALIASES.label])[0]?.value;
  return named ? licenseFromValue(named, LICENSE_CODES) : undefined;
}

/** The dataset's licence, else the first licence of its distributions. */
function licenseOf(graph: Graph, node: Term): string | undefined {
  for (const term of graph.objects(node, ALIASES.license)) {
    const value = licenseValue(graph, term);
    if (value) return value;
  }
  for (const distribution of graph.objects(node, P.distribution)) {
    for (const term of graph.objects(distribution, ALIASES.license)) {
      const value = licenseValue(graph, term);
      if (value) return value;
    }
  }
  return undefined;
}

function stripScheme(value: string, scheme: string): string {
  return value
    .trim()
    .replace(new RegExp(`^${scheme}:`, 'i'), '')
    .trim();
}

/** An e-mail address from mailto:, plain text, or a relative rdf:resource that the base IRI turned into a URL. */
function emailFrom(raw: string, repairs: Repairs): string {
  const stripped = stripScheme(raw, 'mailto');
  if (/^[^\s@/]+@[^\s@/]+$/.test(stripped)) return stripped;
  const tail = /([^\s@/:]+@[^\s@/]+\.[^\s@/]+)$/.exec(stripped)?.[1];
  if (tail) {
    repairs.add(`contact e-mail given as ${describe(namedNode(raw))}; read as ${tail}`);
    return tail;
  }
  return stripped;
}

function contactOf(graph: Graph, node: Term, repairs: Repairs): ContactPoint | undefined {
  for (const term of graph.objects(node, ALIASES.contactPoint)) {
    if (term.termType === 'Literal') {
      if (term.value.trim()) return { name: term.value.trim() };
      continue;
    }
    const firstValue = (predicates: Term[]) => {
      for (const value of graph.objects(term, predicates)) {
        const raw = value.termType === 'BlankNode' ? graph.url(value, P.hasValue) : value.value;
        if (raw?.trim()) return raw.trim();
      }
      return undefined;
    };
    const rawEmail = firstValue(ALIASES.email);
    const email = rawEmail ? emailFrom(rawEmail, repairs) : undefined;
    const rawPhone = firstValue([P.hasTelephone]);
    const phone = rawPhone ? stripScheme(rawPhone, 'tel') : undefined;
    const name = graph.label(term, ALIASES.name) ?? email;
    if (!name) continue;
    const contact: ContactPoint = { name };
    if (email) contact.email = email;
    if (phone) contact.phone = phone;
    return contact;
  }
  return undefined;
}

function spatialOf(graph: Graph, node: Term): string | undefined {
  const values = graph.objects(node, P.spatial);
  for (const term of values) {
    const label = graph.label(term);
    if (label) return label;
  }
  return values.find((term) => term.termType === 'NamedNode')?.value;
}

function temporalOf(graph: Graph, node: Term, repairs: Repairs): TemporalCoverage | undefined {
  for (const term of graph.objects(node, P.temporal)) {
    let start: string | undefined;
    let end: string | undefined;
    if (term.termType === 'Literal') {
      // ISO 8601 interval as DCAT-US writes it: "2009-09-01T12:00:00Z/2010-05-31T12:00:00Z".
      const [from, to] = term.value.split('/');
      start = from ? isoDate(from)?.date : undefined;
      end = to ? isoDate(to)?.date : undefined;
    } else {
      const instant = (predicates: Term[], timeProperty: string) => {
        const direct = dateField(graph.objects(term, predicates), 'dct:temporal', repairs);
        if (direct) return direct;
        for (const moment of graph.objects(term, namedNode(TIME + timeProperty))) {
          const value = dateField(
            graph.objects(moment, [
              namedNode(`${TIME}inXSDDate`),
              namedNode(`${TIME}inXSDDateTime`),
              namedNode(`${TIME}inXSDDateTimeStamp`),
            ]),
            'dct:temporal',
            repairs,
          );
          if (value) return value;
        }
        return undefined;
      };
      start = instant(ALIASES.startDate, 'hasBeginning');
      end = instant(ALIASES.endDate, 'hasEnd');
    }
    if (start || end) {
      const coverage: TemporalCoverage = {};
      if (start) coverage.start = start;
      if (end) coverage.end = end;
      return coverage;
    }
  }
  return undefined;
}

function checkLanguages(graph: Graph, node: Term, repairs: Repairs): void {
  for (const term of graph.objects(node, P.language)) {
    if (term.termType === 'Literal') {
      repairs.add(`dct:language given as text ${describe(term)} instead of an EU language IRI`);
    } else if (
      term.termType === 'NamedNode' &&
      !languageCodeFromIri(term.value) &&
      !/lexvo|loc\.gov|id\.loc/.test(term.value)
    ) {
      repairs.add(`dct:language ${describe(term)} is not an EU language IRI`);
    }
  }
}

function informationItems(graph: Graph, node: Term, repairs: Repairs): InformationItem[] {
  const items: InformationItem[] = [];
  for (const term of byPosition(graph, graph.objects(node, iri('dp', 'informationItem')))) {
    if (term.termType === 'Literal') continue;
    const name = graph.literals(term, iri('dp', 'fieldName'))[0]?.value.trim();
    if (!name) {
      repairs.add('an information item without dp:fieldName was dropped');
      continue;
    }
    const pick = <T extends string>(property: string, allowed: readonly T[], fallback: T): T => {
      const value = graph.literals(term, iri('dp', property))[0]?.value.trim();
      if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
      if (value !== undefined)
        repairs.add(`information item "${name}": dp:${property} "${value}" set to "${fallback}"`);
      return fallback;
    };
    const item: InformationItem = {
      name,
      type: pick<FieldType>('fieldType', FIELD_TYPES, 'string'),
      grade: pick<Grade>('grade', GRADES, 'general-1'),
      personalInfo: pick<PersonalInfo>('personalInfo', PERSONAL_INFO, 'none'),
    };
    const title = localizedText(graph.literals(term, P.title), `information item "${name}" title`, repairs);
    if (title) item.title = title;
    const description = preferredText(graph.literals(term, P.description));
    if (description) item.description = description;
    items.push(item);
  }
  return items;
}

function extrasOf(graph: Graph, node: Term): EntryMetadata['extras'] {
  const extras: NonNullable<EntryMetadata['extras']> = {};
  for (const term of graph.objects(node, iri('dp', 'extra'))) {
    const key = graph.literals(term, iri('dp', 'key'))[0]?.value;
    const value = graph.literals(term, iri('dp', 'value'))[0];
    if (!key || !value) continue;
    const type = value.datatype.value;
    if (type === `${NS.xsd}boolean`) extras[key] = value.value === 'true' || value.value === '1';
    else if ([`${NS.xsd}integer`, `${NS.xsd}double`, `${NS.xsd}decimal`].includes(type))
      extras[key] = Number(value.value);
    else if (type === `${NS.dp}json`) {
      try {
        const parsed: unknown = JSON.parse(value.value);
        if (Array.isArray(parsed)) extras[key] = parsed.map(String);
      } catch {
        extras[key] = value.value;
      }
    } else extras[key] = value.value;
  }
  return Object.keys(extras).length > 0 ? extras : undefined;
}

// --- Distributions ------------------------------------------------------------------------------------------

function hashId(value: string): string {
  return `d${createHash('sha1').update(value).digest('hex').slice(0, 10)}`;
}

/** The text of a dct:format value: an IRI, a literal, or a node such as dct:IMT with an rdf:value. */
function formatText(graph: Graph, term: Term): string | undefined {
  if (term.termType !== 'BlankNode') return term.value.trim() || undefined;
  return graph.label(term, [namedNode(`${NS.rdf}value`), P.label, P.prefLabel, P.title]);
}

const KNOWN_FORMATS = new Set(['CSV', 'XLSX', 'JSON', 'GeoJSON', 'XML', 'PDF', 'SHP', 'ZIP', 'RDF', 'API']);

function fileNameOf(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return name || undefined;
  } catch {
    return undefined;
  }
}

function mapDistribution(
  graph: Graph,
  node: Quad_Object,
  dataset: Quad_Subject,
  index: number,
  repairs: Repairs,
): Distribution {
  const where = `distribution ${index + 1}`;
  const service = graph.objects(node, P.accessService).find((term) => term.termType !== 'Literal');
  const declaredKind = graph.literals(node, iri('dp', 'kind'))[0]?.value;
  const formatTexts = graph
    .objects(node, P.format)
    .map((term) => formatText(graph, term))
    .filter((value): value is string => !!value);
  const declaredFormats = formatTexts.map(formatFromValue).filter((value): value is string => !!value);
  const kind: DistributionKind =
    declaredKind === 'file' || declaredKind === 'api' || declaredKind === 'datastore'
      ? declaredKind
      : service || graph.hasType(node, iri('dcat', 'DataService')) || declaredFormats.includes('API')
        ? 'api'
        : 'file';

  const download = graph.url(node, P.downloadURL);
  const access = graph.url(node, P.accessURL);
  const endpoint = service ? graph.url(service, P.endpointURL) : graph.url(node, P.endpointURL);
  let url = kind === 'file' ? (download ?? access) : (endpoint ?? access ?? download);
  // Our own export points a datastore table without a URL yet at the dataset itself.
  if (kind === 'datastore' && url === dataset.value) url = undefined;
  if (url && !URL.canParse(url)) {
    repairs.add(`${where}: URL "${url}" is not absolute; dropped`);
    url = undefined;
  }

  const mediaTypes = graph.objects(node, P.mediaType).map((term) => mediaTypeFromValue(term.value));
  const mediaType =
    mediaTypes.find((value): value is string => !!value) ??
    formatTexts.map(mediaTypeFromValue).find((value): value is string => !!value);
  const candidates = [
    ...declaredFormats,
    ...(mediaType ? [formatFromValue(mediaType)] : []),
    ...(url ? [formatFromUrl(url)] : []),
  ].filter((value): value is string => !!value);
  const format =
    candidates.find((value) => KNOWN_FORMATS.has(value)) ?? candidates[0] ?? (kind === 'api' ? 'API' : '');

  let title = localizedText(graph.literals(node, P.title), 'distribution title', repairs);
  if (!title) {
    const fallback = (url ? fileNameOf(url) : undefined) ?? (format || `Distribution ${index + 1}`);
    title = { zh: fallback };
  }

  const ownPrefix = dataset.termType === 'NamedNode' ? `${dataset.value}/distributions/` : undefined;
  const id =
    ownPrefix && node.termType === 'NamedNode' && node.value.startsWith(ownPrefix)
      ? decodeURIComponent(node.value.slice(ownPrefix.length))
      : hashId(node.termType === 'NamedNode' ? node.value : `${url ?? ''}|${title.zh}|${index}`);

  const distribution: Distribution = { id, kind, title, format };
  if (url) distribution.url = url;
  if (mediaType) distribution.mediaType = mediaType;
  const size = graph.literals(node, P.byteSize)[0];
  if (size) {
    const bytes = Number(size.value);
    if (Number.isFinite(bytes) && bytes >= 0) {
      distribution.byteSize = Math.round(bytes);
      if (size.datatype.value === `${NS.xsd}string`) repairs.add('dcat:byteSize given as text');
      else if (size.datatype.value !== `${NS.xsd}nonNegativeInteger`) {
        repairs.add(`dcat:byteSize typed <${size.datatype.value}> instead of xsd:nonNegativeInteger`);
      }
    } else {
      repairs.add(`${where}: dcat:byteSize ${describe(size)} is not a size; dropped`);
    }
  }
  const description = preferredText(graph.literals(node, P.description));
  if (description) distribution.description = plainText(description);
  return distribution;
}
