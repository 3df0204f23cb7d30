/**
 * JSON-LD context loading without the network. Harvesting must never fetch what a document points to, so
 * the document loader serves a built-in subset of the DCAT-AP 3 context (the terms the harvester reads,
 * with the same names and type-scoping as the SEMIC context) and refuses every other remote context.
 */

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

const link = (id: string) => ({ '@id': id, '@type': '@id' });
const links = (id: string) => ({ '@id': id, '@type': '@id', '@container': '@set' });
const texts = (id: string) => ({ '@id': id, '@container': '@set' });
const plain = (id: string) => ({ '@id': id });

/** Terms of a dcat:Resource that the SEMIC context scopes to Dataset, DataService and Catalogue alike. */
const resourceTerms = {
  title: texts(`${DCT}title`),
  description: texts(`${DCT}description`),
  keyword: texts(`${DCAT}keyword`),
  theme: links(`${DCAT}theme`),
  publisher: link(`${DCT}publisher`),
  contactPoint: links(`${DCAT}contactPoint`),
  accessRights: link(`${DCT}accessRights`),
  licence: link(`${DCT}license`),
  landingPage: links(`${DCAT}landingPage`),
  conformsTo: links(`${DCT}conformsTo`),
  releaseDate: plain(`${DCT}issued`),
  modificationDate: plain(`${DCT}modified`),
  language: links(`${DCT}language`),
};

export const DCAT_AP_3_CONTEXT = {
  '@context': {
    '@version': 1.1,
    dcat: DCAT,
    dct: DCT,
    foaf: FOAF,
    vcard: 'http://www.w3.org/2006/vcard/ns#',
    skos: 'http://www.w3.org/2004/02/skos/core#',
    xsd: XSD,
    Catalogue: {
      '@id': `${DCAT}Catalog`,
      '@context': {
        ...resourceTerms,
        dataset: links(`${DCAT}dataset`),
        service: links(`${DCAT}service`),
        homepage: link(`${FOAF}homepage`),
        geographicalCoverage: links(`${DCT}spatial`),
        themes: links(`${DCAT}themeTaxonomy`),
      },
    },
    Dataset: {
      '@id': `${DCAT}Dataset`,
      '@context': {
        ...resourceTerms,
        identifier: texts(`${DCT}identifier`),
        otherIdentifier: links('http://www.w3.org/ns/adms#identifier'),
        datasetDistribution: links(`${DCAT}distribution`),
        frequency: link(`${DCT}accrualPeriodicity`),
        geographicalCoverage: links(`${DCT}spatial`),
        temporalCoverage: links(`${DCT}temporal`),
        relatedResource: links(`${DCT}relation`),
        version: plain(`${DCAT}version`),
      },
    },
    Distribution: {
      '@id': `${DCAT}Distribution`,
      '@context': {
        title: texts(`${DCT}title`),
        description: texts(`${DCT}description`),
        accessUrl: links(`${DCAT}accessURL`),
        downloadUrl: links(`${DCAT}downloadURL`),
        accessService: links(`${DCAT}accessService`),
        format: link(`${DCT}format`),
        mediaType: link(`${DCAT}mediaType`),
        byteSize: { '@id': `${DCAT}byteSize`, '@type': `${XSD}nonNegativeInteger` },
        licence: link(`${DCT}license`),
        releaseDate: plain(`${DCT}issued`),
        modificationDate: plain(`${DCT}modified`),
      },
    },
    DataService: {
      '@id': `${DCAT}DataService`,
      '@context': {
        ...resourceTerms,
        endpointUrl: links(`${DCAT}endpointURL`),
        endpointDescription: links(`${DCAT}endpointDescription`),
        servesDataset: links(`${DCAT}servesDataset`),
        format: links(`${DCT}format`),
      },
    },
    Agent: { '@id': `${FOAF}Agent`, '@context': { name: texts(`${FOAF}name`), type: link(`${DCT}type`) } },
    Kind: 'http://www.w3.org/2006/vcard/ns#Kind',
    Concept: {
      '@id': 'http://www.w3.org/2004/02/skos/core#Concept',
      '@context': { preferredLabel: texts('http://www.w3.org/2004/02/skos/core#prefLabel') },
    },
    Location: {
      '@id': `${DCT}Location`,
      '@context': { bbox: plain(`${DCAT}bbox`), centroid: plain(`${DCAT}centroid`) },
    },
    PeriodOfTime: {
      '@id': `${DCT}PeriodOfTime`,
      '@context': { startDate: plain(`${DCAT}startDate`), endDate: plain(`${DCAT}endDate`) },
    },
    Frequency: `${DCT}Frequency`,
    LicenceDocument: `${DCT}LicenseDocument`,
    LinguisticSystem: `${DCT}LinguisticSystem`,
    MediaType: `${DCT}MediaType`,
    MediaTypeOrExtent: `${DCT}MediaTypeOrExtent`,
    RightsStatement: `${DCT}RightsStatement`,
  },
};

/** The published locations of the DCAT-AP 3 context (GitHub Pages, with or without the generated path). */
const DCAT_AP_3_CONTEXT_URL =
  /^https?:\/\/semiceu\.github\.io\/(?:uri\.semic\.eu-generated\/)?DCAT-AP\/releases\/3\.\d+\.\d+\/context\/dcat-ap(?:_3\.\d+\.\d+)?\.jsonld$/;

export function isDcatApContextUrl(url: string): boolean {
  return DCAT_AP_3_CONTEXT_URL.test(url);
}

export class OfflineContextError extends Error {
  readonly url: string;

  constructor(url: string) {
    super(
      `JSON-LD context ${url} is not available: harvesting never loads remote documents, and only the DCAT-AP 3 context is built in`,
    );
    this.name = 'OfflineContextError';
    this.url = url;
  }
}

/** What a jsonld.js document loader returns. */
export interface LoadedDocument {
  documentUrl: string;
  document: unknown;
  contextUrl?: string;
}

/** A jsonld.js document loader that never touches the network; `refused` collects what it turned down. */
export function offlineDocumentLoader(refused: string[]): (url: string) => Promise<LoadedDocument> {
  return async (url: string) => {
    if (isDcatApContextUrl(url)) return { documentUrl: url, document: DCAT_AP_3_CONTEXT };
    refused.push(url);
    throw new OfflineContextError(url);
  };
}
