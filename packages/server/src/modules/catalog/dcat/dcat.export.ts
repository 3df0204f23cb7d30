/**
 * DCAT-AP 3 export of the catalog: the RDF of one record (dataset, distributions, data services and the
 * typed nodes DCAT-AP's range shapes expect), the RDF of the catalog node, and streaming serialisers in
 * Turtle, N-Triples, RDF/XML and JSON-LD.
 */

import type { NamedNode, Quad, Quad_Object, Quad_Subject } from 'n3';
import { DataFactory } from 'n3';
import { LICENSES, THEMES } from '../catalog.codelists.ts';
import type { CatalogRecord, Distribution, LocalizedText, ProviderRef } from '../catalog.model.ts';
import {
  blankFor,
  GraphBuilder,
  iri,
  localized,
  RDF_TYPE,
  safeIri,
  segment,
  text,
  typed,
} from './dcat.terms.ts';
import {
  ACCESS_RIGHT_LABELS,
  accessRightIri,
  DATA_THEME_LABELS,
  dataThemeIri,
  EU_ACCESS_RIGHT,
  EU_DATA_THEME,
  EU_FILE_TYPE,
  EU_FREQUENCY,
  EU_LANGUAGE,
  euScheme,
  FILE_TYPE_LABELS,
  FREQUENCY_LABELS,
  fileTypeIri,
  formatFromValue,
  frequencyIri,
  LANGUAGE_LABELS,
  languageIri,
  licenseIri,
  mediaTypeForFormat,
  mediaTypeFromValue,
  mediaTypeIri,
  THEME_PATH,
} from './dcat.vocabularies.ts';
import { createDcatWriter } from './dcat.writers.ts';

const { namedNode } = DataFactory;

export type DcatFormat = 'ttl' | 'jsonld' | 'rdf' | 'nt';

export const DCAT_FORMATS: readonly DcatFormat[] = ['ttl', 'jsonld', 'rdf', 'nt'];

export const DCAT_MEDIA_TYPES: Record<DcatFormat, string> = {
  ttl: 'text/turtle',
  jsonld: 'application/ld+json',
  rdf: 'application/rdf+xml',
  nt: 'application/n-triples',
};

/** What the export needs to know about the catalog itself. */
export interface DcatContext {
  /** Public base URL of this platform, without a trailing slash (one is tolerated). */
  baseUrl: string;
  catalogTitle: LocalizedText;
  catalogDescription: LocalizedText;
  /** The institution that runs the catalog. */
  publisher: ProviderRef;
  /** The catalog's own IRI when it is not the whole catalog's (a selection, such as a year's opening plan). */
  catalogIri?: string;
}

// --- IRIs ------------------------------------------------------------------------------------------------

function base(ctx: Pick<DcatContext, 'baseUrl'>): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

export function catalogIri(ctx: Pick<DcatContext, 'baseUrl' | 'catalogIri'>): string {
  return ctx.catalogIri ?? `${base(ctx)}/catalog`;
}

export function datasetIri(ctx: Pick<DcatContext, 'baseUrl'>, code: string): string {
  return `${base(ctx)}/catalog/entries/${segment(code)}`;
}

export function distributionIri(datasetIriValue: string, distributionId: string): string {
  return `${datasetIriValue}/distributions/${segment(distributionId)}`;
}

/** The DataService node of an API distribution. */
export function dataServiceIri(datasetIriValue: string, distributionId: string): string {
  return `${datasetIriValue}/services/${segment(distributionId)}`;
}

export function organizationIri(ctx: Pick<DcatContext, 'baseUrl'>, code: string): string {
  return `${base(ctx)}/organizations/${segment(code)}`;
}

export function themeConceptIri(ctx: Pick<DcatContext, 'baseUrl'>, theme: string): string {
  return `${base(ctx)}${THEME_PATH}${segment(theme)}`;
}

function themeSchemeIri(ctx: Pick<DcatContext, 'baseUrl'>): string {
  return `${base(ctx)}${THEME_PATH.replace(/\/$/, '')}`;
}

// --- Shared nodes (organisations, vocabulary concepts) -----------------------------------------------------

function addAgent(graph: GraphBuilder, ctx: DcatContext, provider: ProviderRef): NamedNode {
  const node = namedNode(organizationIri(ctx, provider.code));
  graph
    .add(node, RDF_TYPE, iri('foaf', 'Agent'))
    .add(node, RDF_TYPE, iri('foaf', 'Organization'))
    .add(node, iri('foaf', 'name'), text(provider.name, 'zh'));
  if (provider.nameEn?.trim()) graph.add(node, iri('foaf', 'name'), text(provider.nameEn.trim(), 'en'));
  if (provider.creditCode) graph.add(node, iri('dct', 'identifier'), text(provider.creditCode));
  return node;
}

/** An EU authority concept, typed as the range shapes expect and labelled for readers. */
function addEuConcept(
  graph: GraphBuilder,
  value: string,
  table: string,
  types: NamedNode[],
  label: string | undefined,
): NamedNode {
  const node = namedNode(value);
  for (const type of types) graph.add(node, RDF_TYPE, type);
  graph.add(node, iri('skos', 'inScheme'), namedNode(euScheme(table)));
  if (label) graph.add(node, iri('skos', 'prefLabel'), text(label, 'en'));
  return node;
}

function euLabel(value: string, table: string, labels: Record<string, string>): string | undefined {
  return labels[value.slice(table.length)];
}

function addLicense(graph: GraphBuilder, ctx: DcatContext, code: string): NamedNode {
  const node = namedNode(safeIri(licenseIri(code, base(ctx))) ?? `${base(ctx)}/licenses/${segment(code)}`);
  graph.add(node, RDF_TYPE, iri('dct', 'LicenseDocument'));
  const known = LICENSES.find((item) => item.code === code);
  if (known) graph.addAll(node, iri('dct', 'title'), localized(known.label));
  graph.add(node, iri('dct', 'identifier'), text(code));
  return node;
}

function addLanguages(graph: GraphBuilder, subject: Quad_Subject, value: LocalizedText): void {
  for (const language of ['zh', 'en', 'fr'] as const) {
    if (!value[language]?.trim()) continue;
    const node = addEuConcept(
      graph,
      languageIri(language),
      EU_LANGUAGE,
      [iri('dct', 'LinguisticSystem')],
      LANGUAGE_LABELS[languageIri(language).slice(EU_LANGUAGE.length)],
    );
    graph.add(subject, iri('dct', 'language'), node);
  }
}

// --- Literals ----------------------------------------------------------------------------------------------

/** dct:issued / dct:modified: xsd:date for a day, xsd:dateTime (UTC) for an instant. */
function dateLiteral(value: string | undefined): Quad_Object | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return typed(trimmed, 'xsd', 'date');
  const time = new Date(trimmed);
  if (Number.isNaN(time.getTime())) return undefined;
  return typed(time.toISOString(), 'xsd', 'dateTime');
}

// --- Catalog -----------------------------------------------------------------------------------------------

const THEME_SCHEME_TITLE: LocalizedText = {
  zh: '数据目录主题',
  en: 'Catalog themes',
  fr: 'Thèmes du catalogue',
};

/** The dcat:Catalog node with its publisher, home page, languages and theme taxonomies. */
export function catalogQuads(ctx: DcatContext): Quad[] {
  const graph = new GraphBuilder();
  const catalog = namedNode(catalogIri(ctx));
  graph
    .add(catalog, RDF_TYPE, iri('dcat', 'Catalog'))
    .addAll(catalog, iri('dct', 'title'), localized(ctx.catalogTitle))
    .addAll(catalog, iri('dct', 'description'), localized(ctx.catalogDescription));
  graph.add(catalog, iri('dct', 'publisher'), addAgent(graph, ctx, ctx.publisher));
  const homepage = safeIri(`${base(ctx)}/`);
  if (homepage) {
    graph.add(catalog, iri('foaf', 'homepage'), namedNode(homepage));
    graph.add(namedNode(homepage), RDF_TYPE, iri('foaf', 'Document'));
  }
  addLanguages(graph, catalog, ctx.catalogTitle);

  const ownScheme = namedNode(themeSchemeIri(ctx));
  graph
    .add(catalog, iri('dcat', 'themeTaxonomy'), ownScheme)
    .add(ownScheme, RDF_TYPE, iri('skos', 'ConceptScheme'))
    .addAll(ownScheme, iri('dct', 'title'), localized(THEME_SCHEME_TITLE));
  const euThemes = namedNode(euScheme(EU_DATA_THEME));
  graph
    .add(catalog, iri('dcat', 'themeTaxonomy'), euThemes)
    .add(euThemes, RDF_TYPE, iri('skos', 'ConceptScheme'))
    .add(euThemes, iri('dct', 'title'), text('Data theme', 'en'));
  return graph.quads();
}

// --- Records -----------------------------------------------------------------------------------------------

function addDistribution(
  graph: GraphBuilder,
  ctx: DcatContext,
  record: CatalogRecord,
  dataset: NamedNode,
  distribution: Distribution,
  index: number,
  license: NamedNode | undefined,
): void {
  const node = namedNode(distributionIri(dataset.value, distribution.id));
  const url = distribution.url ? safeIri(distribution.url) : undefined;
  graph
    .add(dataset, iri('dcat', 'distribution'), node)
    .add(node, RDF_TYPE, iri('dcat', 'Distribution'))
    .add(node, iri('dct', 'identifier'), text(distribution.id))
    .addAll(node, iri('dct', 'title'), localized(distribution.title));
  if (distribution.description?.trim()) {
    graph.add(node, iri('dct', 'description'), text(distribution.description.trim()));
  }
  // dcat:accessURL is mandatory; without a URL yet (a datastore table not loaded), the dataset page is
  // where the data can be reached.
  graph.add(node, iri('dcat', 'accessURL'), namedNode(url ?? dataset.value));
  if (url && distribution.kind === 'file') graph.add(node, iri('dcat', 'downloadURL'), namedNode(url));
  graph.add(node, iri('dp', 'kind'), text(distribution.kind));
  // RDF has no order; our own harvest restores the entry's order from this.
  graph.add(node, iri('dp', 'position'), typed(String(index), 'xsd', 'integer'));

  const format = formatFromValue(distribution.format);
  const fileType = format ? fileTypeIri(format) : undefined;
  if (fileType) {
    const label = euLabel(fileType, EU_FILE_TYPE, FILE_TYPE_LABELS) ?? fileType.slice(EU_FILE_TYPE.length);
    graph.add(
      node,
      iri('dct', 'format'),
      addEuConcept(graph, fileType, EU_FILE_TYPE, [iri('dct', 'MediaTypeOrExtent')], label),
    );
  } else if (format && format !== 'API') {
    // A format without an EU file type still has to be a resource, not a literal.
    const extent = blankFor(record.id, `format${index}`);
    graph
      .add(node, iri('dct', 'format'), extent)
      .add(extent, RDF_TYPE, iri('dct', 'MediaTypeOrExtent'))
      .add(extent, iri('rdfs', 'label'), text(distribution.format.trim()));
  }
  const mediaType =
    mediaTypeFromValue(distribution.mediaType ?? '') ?? mediaTypeForFormat(distribution.format);
  if (mediaType && distribution.kind !== 'api') {
    const media = namedNode(mediaTypeIri(mediaType));
    graph.add(node, iri('dcat', 'mediaType'), media).add(media, RDF_TYPE, iri('dct', 'MediaType'));
  }
  if (
    distribution.byteSize !== undefined &&
    Number.isFinite(distribution.byteSize) &&
    distribution.byteSize >= 0
  ) {
    graph.add(
      node,
      iri('dcat', 'byteSize'),
      typed(String(Math.round(distribution.byteSize)), 'xsd', 'nonNegativeInteger'),
    );
  }
  if (license) graph.add(node, iri('dct', 'license'), license);

  if (distribution.kind === 'api' && url) {
    const service = namedNode(dataServiceIri(dataset.value, distribution.id));
    graph
      .add(node, iri('dcat', 'accessService'), service)
      .add(service, RDF_TYPE, iri('dcat', 'DataService'))
      .addAll(service, iri('dct', 'title'), localized(distribution.title))
      .add(service, iri('dcat', 'endpointURL'), namedNode(url))
      .add(service, iri('dcat', 'servesDataset'), dataset);
    if (license) graph.add(service, iri('dct', 'license'), license);
    graph.add(namedNode(catalogIri(ctx)), iri('dcat', 'service'), service);
  }
}

/**
 * The DCAT-AP 3 description of one catalog record: the dcat:Dataset with its distributions and data
 * services, the typed nodes they point to (publisher, vocabulary concepts, contact, location, period),
 * our own fields in the `dp:` namespace, and the catalog's dcat:dataset / dcat:service links to it.
 */
export function recordQuads(record: CatalogRecord, ctx: DcatContext): Quad[] {
  const graph = new GraphBuilder();
  const metadata = record.metadata;
  const dataset = namedNode(datasetIri(ctx, record.code));
  graph.add(namedNode(catalogIri(ctx)), iri('dcat', 'dataset'), dataset);

  graph
    .add(dataset, RDF_TYPE, iri('dcat', 'Dataset'))
    .addAll(dataset, iri('dct', 'title'), localized(metadata.title))
    .addAll(dataset, iri('dct', 'description'), localized(metadata.summary))
    .add(dataset, iri('dct', 'identifier'), text(record.code));
  const identifier = blankFor(record.id, 'identifier');
  graph
    .add(dataset, iri('adms', 'identifier'), identifier)
    .add(identifier, RDF_TYPE, iri('adms', 'Identifier'))
    .add(identifier, iri('skos', 'notation'), text(record.code));

  for (const keyword of metadata.keywords) {
    if (keyword.trim()) graph.add(dataset, iri('dcat', 'keyword'), text(keyword.trim()));
  }

  // Our own theme concept first, then the EU data theme it corresponds to.
  const ownTheme = namedNode(themeConceptIri(ctx, metadata.theme));
  const themeItem = THEMES.find((theme) => theme.code === metadata.theme);
  graph
    .add(dataset, iri('dcat', 'theme'), ownTheme)
    .add(ownTheme, RDF_TYPE, iri('skos', 'Concept'))
    .addAll(
      ownTheme,
      iri('skos', 'prefLabel'),
      themeItem ? localized(themeItem.label) : [text(metadata.theme)],
    )
    .add(ownTheme, iri('skos', 'inScheme'), namedNode(themeSchemeIri(ctx)));
  const euTheme = dataThemeIri(metadata.theme);
  if (euTheme) {
    graph.add(
      dataset,
      iri('dcat', 'theme'),
      addEuConcept(
        graph,
        euTheme,
        EU_DATA_THEME,
        [iri('skos', 'Concept')],
        euLabel(euTheme, EU_DATA_THEME, DATA_THEME_LABELS),
      ),
    );
  }

  graph.add(dataset, iri('dct', 'publisher'), addAgent(graph, ctx, record.provider));

  const access = accessRightIri(metadata.openType);
  graph.add(
    dataset,
    iri('dct', 'accessRights'),
    addEuConcept(
      graph,
      access,
      EU_ACCESS_RIGHT,
      [iri('dct', 'RightsStatement')],
      euLabel(access, EU_ACCESS_RIGHT, ACCESS_RIGHT_LABELS),
    ),
  );
  const frequency = frequencyIri(metadata.updateCycle);
  graph.add(
    dataset,
    iri('dct', 'accrualPeriodicity'),
    addEuConcept(
      graph,
      frequency,
      EU_FREQUENCY,
      [iri('dct', 'Frequency')],
      euLabel(frequency, EU_FREQUENCY, FREQUENCY_LABELS),
    ),
  );

  graph.add(dataset, iri('dct', 'issued'), dateLiteral(metadata.releaseDate ?? record.publishedAt));
  graph.add(dataset, iri('dct', 'modified'), dateLiteral(metadata.lastUpdate ?? record.updatedAt));
  addLanguages(graph, dataset, metadata.title);

  if (metadata.spatialCoverage?.trim()) {
    const location = blankFor(record.id, 'spatial');
    const name = text(metadata.spatialCoverage.trim());
    graph
      .add(dataset, iri('dct', 'spatial'), location)
      .add(location, RDF_TYPE, iri('dct', 'Location'))
      .add(location, iri('skos', 'prefLabel'), name)
      .add(location, iri('locn', 'geographicName'), name);
  }
  const start = dateLiteral(metadata.temporalCoverage?.start);
  const end = dateLiteral(metadata.temporalCoverage?.end);
  if (start || end) {
    const period = blankFor(record.id, 'temporal');
    graph
      .add(dataset, iri('dct', 'temporal'), period)
      .add(period, RDF_TYPE, iri('dct', 'PeriodOfTime'))
      .add(period, iri('dcat', 'startDate'), start)
      .add(period, iri('dcat', 'endDate'), end);
  }
  const contact = metadata.contactPoint;
  if (contact?.name.trim() || contact?.email?.trim()) {
    const kind = blankFor(record.id, 'contact');
    graph
      .add(dataset, iri('dcat', 'contactPoint'), kind)
      .add(kind, RDF_TYPE, iri('vcard', 'Kind'))
      .add(kind, iri('vcard', 'fn'), text((contact.name.trim() || contact.email?.trim()) ?? ''));
    const email = contact.email?.trim() ? safeIri(`mailto:${contact.email.trim()}`, ['mailto:']) : undefined;
    if (email) graph.add(kind, iri('vcard', 'hasEmail'), namedNode(email));
    const phone = contact.phone?.trim().replace(/[^\d+*#;=a-zA-Z-]+/g, '-');
    const tel = phone ? safeIri(`tel:${phone}`, ['tel:']) : undefined;
    if (tel) graph.add(kind, iri('vcard', 'hasTelephone'), namedNode(tel));
  }
  for (const related of metadata.relatedCodes) {
    if (related.trim())
      graph.add(dataset, iri('dct', 'relation'), namedNode(datasetIri(ctx, related.trim())));
  }

  const license = metadata.license?.trim() ? addLicense(graph, ctx, metadata.license.trim()) : undefined;
  metadata.distributions.forEach((distribution, index) => {
    addDistribution(graph, ctx, record, dataset, distribution, index, license);
  });

  // Our own fields, which DCAT-AP has no property for.
  graph
    .add(dataset, iri('dp', 'classification'), text(metadata.classification))
    .add(dataset, iri('dp', 'shareType'), text(metadata.shareType))
    .add(dataset, iri('dp', 'grade'), text(metadata.grade));
  if (metadata.shareCondition?.trim())
    graph.add(dataset, iri('dp', 'shareCondition'), text(metadata.shareCondition));
  if (metadata.shareMethod?.trim()) graph.add(dataset, iri('dp', 'shareMethod'), text(metadata.shareMethod));
  if (metadata.openCondition?.trim())
    graph.add(dataset, iri('dp', 'openCondition'), text(metadata.openCondition));
  for (const format of metadata.formats) {
    if (format.trim()) graph.add(dataset, iri('dp', 'format'), text(format.trim()));
  }
  if (metadata.sourceUri?.trim())
    graph.add(dataset, iri('dp', 'harvestedFrom'), typed(metadata.sourceUri, 'xsd', 'anyURI'));
  metadata.informationItems.forEach((item, index) => {
    const node = blankFor(record.id, `item${index}`);
    graph
      .add(dataset, iri('dp', 'informationItem'), node)
      .add(node, RDF_TYPE, iri('dp', 'InformationItem'))
      .add(node, iri('dp', 'position'), typed(String(index), 'xsd', 'integer'))
      .add(node, iri('dp', 'fieldName'), text(item.name))
      .add(node, iri('dp', 'fieldType'), text(item.type))
      .add(node, iri('dp', 'grade'), text(item.grade))
      .add(node, iri('dp', 'personalInfo'), text(item.personalInfo));
    if (item.title) graph.addAll(node, iri('dct', 'title'), localized(item.title));
    if (item.description?.trim()) graph.add(node, iri('dct', 'description'), text(item.description.trim()));
  });
  Object.entries(metadata.extras ?? {}).forEach(([key, value], index) => {
    const node = blankFor(record.id, `extra${index}`);
    graph.add(dataset, iri('dp', 'extra'), node).add(node, iri('dp', 'key'), text(key));
    if (typeof value === 'boolean')
      graph.add(node, iri('dp', 'value'), typed(String(value), 'xsd', 'boolean'));
    else if (typeof value === 'number') {
      graph.add(
        node,
        iri('dp', 'value'),
        typed(String(value), 'xsd', Number.isInteger(value) ? 'integer' : 'double'),
      );
    } else if (Array.isArray(value))
      graph.add(node, iri('dp', 'value'), typed(JSON.stringify(value), 'dp', 'json'));
    else graph.add(node, iri('dp', 'value'), text(value));
  });
  return graph.quads();
}

// --- Serialisation -----------------------------------------------------------------------------------------

/**
 * Subjects that several records share (organisations, vocabulary concepts, licences). The streaming
 * serialiser writes each of them once; there are only as many as there are distinct values.
 */
function isSharedSubject(subject: Quad_Subject, ownIri: string, catalog: string): boolean {
  if (subject.termType !== 'NamedNode') return false;
  const value = subject.value;
  return value !== catalog && value !== ownIri && !value.startsWith(`${ownIri}/`);
}

/**
 * The whole catalog as a stream of text chunks: a header with the catalog node, then one chunk per record,
 * then a footer. Memory stays flat whatever the number of records.
 */
export async function* serializeCatalog(
  format: DcatFormat,
  records: AsyncIterable<CatalogRecord> | Iterable<CatalogRecord>,
  ctx: DcatContext,
): AsyncGenerator<string> {
  const catalog = catalogIri(ctx);
  const writer = createDcatWriter(format, catalog);
  const head = catalogQuads(ctx);
  const written = new Set<string>();
  for (const quad of head) if (quad.subject.termType === 'NamedNode') written.add(quad.subject.value);
  yield writer.start(head);
  for await (const record of records) {
    const own = datasetIri(ctx, record.code);
    const firstSeen = new Set<string>();
    const quads = recordQuads(record, ctx).filter((quad) => {
      if (!isSharedSubject(quad.subject, own, catalog)) return true;
      const subject = quad.subject.value;
      if (written.has(subject) && !firstSeen.has(subject)) return false;
      if (!written.has(subject)) {
        written.add(subject);
        firstSeen.add(subject);
      }
      return true;
    });
    const chunk = writer.write(quads);
    if (chunk) yield chunk;
  }
  yield writer.end();
}

/** One record as a complete document: the catalog node and the dataset it lists. */
export async function serializeRecord(
  format: DcatFormat,
  record: CatalogRecord,
  ctx: DcatContext,
): Promise<string> {
  let out = '';
  for await (const chunk of serializeCatalog(format, [record], ctx)) out += chunk;
  return out;
}

function acceptedFormat(mediaType: string): DcatFormat | undefined {
  switch (mediaType) {
    case 'text/turtle':
    case 'application/x-turtle':
      return 'ttl';
    case 'application/ld+json':
    case 'application/json':
      return 'jsonld';
    case 'application/rdf+xml':
      return 'rdf';
    case 'application/n-triples':
      return 'nt';
    default:
      return undefined;
  }
}

/**
 * The format an Accept header asks for (by q-value, then by order). An absent or empty header and the
 * any-type and text wildcards mean Turtle; undefined when the client accepts none of our formats (406).
 */
export function negotiateDcatFormat(acceptHeader: string | undefined): DcatFormat | undefined {
  if (!acceptHeader?.trim()) return 'ttl';
  const ranges = acceptHeader
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((param) => /^q=/i.test(param));
      const quality = q ? Number(q.slice(2)) : 1;
      return { type: type.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((range) => range.type && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'text/*') return 'ttl';
    if (range.type === 'application/*') return 'jsonld';
    const format = acceptedFormat(range.type);
    if (format) return format;
  }
  return undefined;
}
