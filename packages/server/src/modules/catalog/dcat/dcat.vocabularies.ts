/**
 * Namespaces and the mappings between our code lists and the EU controlled vocabularies (EU Vocabularies
 * authority tables) that DCAT-AP 3 asks for: frequency, access right, file type, data theme, language and
 * licences. Each mapping goes both ways; the reverse direction is lenient because harvested catalogs use
 * IRIs, literals, media types and older vocabularies for the same thing.
 */
import { THEMES } from '../catalog.codelists.ts';
import type { OpenType, UpdateCycle } from '../catalog.model.ts';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  dp: 'https://datapolis.city/ns#',
} as const;

export type Prefix = keyof typeof NS;

/** Prefixes written into every serialisation (Turtle prefix block, RDF/XML xmlns, JSON-LD context). */
export const PREFIXES: Record<Prefix, string> = { ...NS };

const EU = 'http://publications.europa.eu/resource/authority/';
export const EU_FREQUENCY = `${EU}frequency/`;
export const EU_ACCESS_RIGHT = `${EU}access-right/`;
export const EU_FILE_TYPE = `${EU}file-type/`;
export const EU_DATA_THEME = `${EU}data-theme/`;
export const EU_LANGUAGE = `${EU}language/`;
export const EU_LICENCE = `${EU}licence/`;
export const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types/';

/** The concept scheme IRI of an EU authority table (the table IRI without the trailing slash). */
export function euScheme(tableBase: string): string {
  return tableBase.replace(/\/$/, '');
}

/** The last path segment of an IRI, or of a `#` fragment. */
function lastSegment(iri: string): string {
  const cut = iri.replace(/[/#]+$/, '');
  return cut.slice(Math.max(cut.lastIndexOf('/'), cut.lastIndexOf('#')) + 1);
}

/** EU authority IRIs are published with http, but https variants circulate; compare them alike. */
function euCode(value: string, table: string): string | undefined {
  const normalised = value.trim().replace(/^https:/, 'http:');
  const base = table.replace(/^https:/, 'http:');
  const legacy = base.replace('/resource/authority/', '/mdr/authority/');
  for (const prefix of [base, legacy]) {
    if (normalised.startsWith(prefix)) return normalised.slice(prefix.length).replace(/\/$/, '');
  }
  return undefined;
}

// --- Update cycle <-> frequency ---------------------------------------------------------------------------

const CYCLE_TO_FREQUENCY: Record<UpdateCycle, string> = {
  realtime: 'UPDATE_CONT',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  yearly: 'ANNUAL',
  irregular: 'IRREG',
};

export const FREQUENCY_LABELS: Record<string, string> = {
  UPDATE_CONT: 'continuously updated',
  CONT: 'continuous',
  DAILY: 'daily',
  WEEKLY: 'weekly',
  MONTHLY: 'monthly',
  QUARTERLY: 'quarterly',
  ANNUAL: 'annual',
  IRREG: 'irregular',
};

export function frequencyIri(cycle: UpdateCycle): string {
  return EU_FREQUENCY + CYCLE_TO_FREQUENCY[cycle];
}

/** EU frequency codes; `exact` false means the nearest cycle we have (worth a repair note). */
const FREQUENCY_CODES: Record<string, [UpdateCycle, boolean]> = {
  CONT: ['realtime', true],
  UPDATE_CONT: ['realtime', true],
  '1MIN': ['realtime', false],
  '5MIN': ['realtime', false],
  '10MIN': ['realtime', false],
  '15MIN': ['realtime', false],
  '30MIN': ['realtime', false],
  HOURLY: ['realtime', false],
  BIHOURLY: ['realtime', false],
  TRIHOURLY: ['realtime', false],
  '12HRS': ['daily', false],
  DAILY: ['daily', true],
  DAILY_2: ['daily', false],
  WEEKLY: ['weekly', true],
  WEEKLY_2: ['weekly', false],
  WEEKLY_3: ['weekly', false],
  BIWEEKLY: ['monthly', false],
  MONTHLY: ['monthly', true],
  MONTHLY_2: ['monthly', false],
  MONTHLY_3: ['monthly', false],
  BIMONTHLY: ['quarterly', false],
  QUARTERLY: ['quarterly', true],
  ANNUAL_2: ['yearly', false],
  ANNUAL_3: ['yearly', false],
  ANNUAL: ['yearly', true],
  IRREG: ['irregular', true],
  AS_NEEDED: ['irregular', true],
  OTHER: ['irregular', false],
  UNKNOWN: ['irregular', false],
  BIENNIAL: ['irregular', false],
  TRIENNIAL: ['irregular', false],
  QUADRENNIAL: ['irregular', false],
  QUINQUENNIAL: ['irregular', false],
  DECENNIAL: ['irregular', false],
  NEVER: ['irregular', false],
  NOT_PLANNED: ['irregular', false],
};

/** Words seen as frequency literals (DERI exports, CKAN, DCAT-US, Dublin Core collection frequency). */
const FREQUENCY_WORDS: Record<string, UpdateCycle> = {
  continuous: 'realtime',
  continuously: 'realtime',
  realtime: 'realtime',
  'real-time': 'realtime',
  'real time': 'realtime',
  hourly: 'realtime',
  daily: 'daily',
  day: 'daily',
  weekly: 'weekly',
  week: 'weekly',
  monthly: 'monthly',
  month: 'monthly',
  quarterly: 'quarterly',
  quarter: 'quarterly',
  annual: 'yearly',
  annually: 'yearly',
  yearly: 'yearly',
  year: 'yearly',
  irregular: 'irregular',
  irregularly: 'irregular',
  irreg: 'irregular',
  'as needed': 'irregular',
  实时: 'realtime',
  每日: 'daily',
  每周: 'weekly',
  每月: 'monthly',
  每季度: 'quarterly',
  每年: 'yearly',
  不定期: 'irregular',
  täglich: 'daily',
  wöchentlich: 'weekly',
  monatlich: 'monthly',
  vierteljährlich: 'quarterly',
  jährlich: 'yearly',
  unregelmäßig: 'irregular',
  quotidienne: 'daily',
  hebdomadaire: 'weekly',
  mensuelle: 'monthly',
  trimestrielle: 'quarterly',
  annuelle: 'yearly',
  irrégulière: 'irregular',
};

/** ISO 8601 repeating intervals used by DCAT-US 1.1 (`R/P1D`, `R/PT1H`, …). */
function cycleFromDuration(value: string): { cycle: UpdateCycle; exact: boolean } | undefined {
  const match =
    /^R\/P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      value.trim(),
    );
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const days = y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86400;
  const exact = (cycle: UpdateCycle, ok: boolean) => ({ cycle, exact: ok });
  if (days < 1) return exact('realtime', false);
  if (days === 1) return exact('daily', true);
  if (days < 7) return exact('daily', false);
  if (days === 7) return exact('weekly', w === 1 || d === 7);
  if (days < 28) return exact('weekly', false);
  if (mo === 1 && days === 30) return exact('monthly', true);
  if (days < 90) return exact('monthly', false);
  if (mo === 3 && days === 90) return exact('quarterly', true);
  if (days < 365) return exact('quarterly', false);
  if (y === 1 && days === 365) return exact('yearly', true);
  return exact('irregular', false);
}

/** Reads an EU frequency IRI, a Dublin Core collection frequency IRI, an ISO 8601 interval or a word. */
export function updateCycleFromFrequency(value: string): { cycle: UpdateCycle; exact: boolean } | undefined {
  const text = value.trim();
  const code = euCode(text, EU_FREQUENCY);
  if (code !== undefined) {
    const found = FREQUENCY_CODES[code.toUpperCase()];
    return found ? { cycle: found[0], exact: found[1] } : undefined;
  }
  if (/^https?:\/\/purl\.org\/cld\/freq\//.test(text)) {
    const word = lastSegment(text).toLowerCase();
    const cld: Record<string, [UpdateCycle, boolean]> = {
      continuous: ['realtime', true],
      daily: ['daily', true],
      threetimesaweek: ['weekly', false],
      semiweekly: ['weekly', false],
      weekly: ['weekly', true],
      threetimesamonth: ['monthly', false],
      biweekly: ['monthly', false],
      semimonthly: ['monthly', false],
      monthly: ['monthly', true],
      bimonthly: ['quarterly', false],
      quarterly: ['quarterly', true],
      threetimesayear: ['yearly', false],
      semiannual: ['yearly', false],
      annual: ['yearly', true],
      biennial: ['irregular', false],
      triennial: ['irregular', false],
      irregular: ['irregular', true],
    };
    const found = cld[word];
    return found ? { cycle: found[0], exact: found[1] } : undefined;
  }
  if (/^R\//i.test(text)) return cycleFromDuration(text);
  const word = FREQUENCY_WORDS[text.toLowerCase()];
  if (word) return { cycle: word, exact: true };
  const upper = FREQUENCY_CODES[text.toUpperCase()];
  return upper ? { cycle: upper[0], exact: upper[1] } : undefined;
}

// --- Open type <-> access right ---------------------------------------------------------------------------

const OPEN_TO_ACCESS: Record<OpenType, string> = {
  unconditional: 'PUBLIC',
  conditional: 'RESTRICTED',
  not_open: 'NON_PUBLIC',
};

export const ACCESS_RIGHT_LABELS: Record<string, string> = {
  PUBLIC: 'public',
  RESTRICTED: 'restricted',
  NON_PUBLIC: 'non-public',
};

export function accessRightIri(openType: OpenType): string {
  return EU_ACCESS_RIGHT + OPEN_TO_ACCESS[openType];
}

/** Reads an EU access-right IRI or a DCAT-US `accessLevel` style word. */
export function openTypeFromAccessRight(value: string): OpenType | undefined {
  const code = euCode(value, EU_ACCESS_RIGHT) ?? value.trim();
  const key = code
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
  const words: Record<string, OpenType> = {
    public: 'unconditional',
    open: 'unconditional',
    unconditional: 'unconditional',
    restricted: 'conditional',
    'restricted public': 'conditional',
    conditional: 'conditional',
    'non public': 'not_open',
    nonpublic: 'not_open',
    'not public': 'not_open',
    'not open': 'not_open',
    confidential: 'not_open',
    sensitive: 'not_open',
    无条件开放: 'unconditional',
    有条件开放: 'conditional',
    不予开放: 'not_open',
  };
  return words[key];
}

// --- Formats <-> file types and media types ----------------------------------------------------------------

interface FormatInfo {
  fileType?: string;
  mediaType?: string;
  /** Other names, EU file-type codes and media types that mean this format. */
  aliases: string[];
}

const FORMAT_INFO: Record<string, FormatInfo> = {
  CSV: { fileType: 'CSV', mediaType: 'text/csv', aliases: ['csv', 'text/csv', 'application/csv'] },
  XLSX: {
    fileType: 'XLSX',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    aliases: [
      'xlsx',
      'excel',
      'ms excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'ooxml',
    ],
  },
  JSON: {
    fileType: 'JSON',
    mediaType: 'application/json',
    aliases: ['json', 'application/json', 'text/json'],
  },
  GeoJSON: {
    fileType: 'GEOJSON',
    mediaType: 'application/geo+json',
    aliases: ['geojson', 'application/geo+json', 'application/vnd.geo+json'],
  },
  XML: { fileType: 'XML', mediaType: 'application/xml', aliases: ['xml', 'application/xml', 'text/xml'] },
  PDF: { fileType: 'PDF', mediaType: 'application/pdf', aliases: ['pdf', 'application/pdf'] },
  SHP: {
    fileType: 'SHP',
    mediaType: 'application/vnd.shp',
    aliases: ['shp', 'shapefile', 'esri shapefile', 'application/vnd.shp', 'application/x-shapefile'],
  },
  ZIP: {
    fileType: 'ZIP',
    mediaType: 'application/zip',
    aliases: ['zip', 'application/zip', 'application/x-zip-compressed', 'application/x-zip'],
  },
  RDF: {
    fileType: 'RDF',
    mediaType: 'application/rdf+xml',
    aliases: [
      'rdf',
      'rdf_xml',
      'rdf/xml',
      'rdf_turtle',
      'turtle',
      'rdf_n_triples',
      'n-triples',
      'jsonld',
      'json_ld',
      'application/rdf+xml',
      'text/turtle',
      'application/n-triples',
      'application/ld+json',
    ],
  },
  API: {
    aliases: [
      'api',
      'rest',
      'rest api',
      'web service',
      'service',
      'wms',
      'wfs',
      'wms_srvc',
      'wfs_srvc',
      'sparql',
    ],
  },
};

const FORMAT_BY_ALIAS = new Map<string, string>();
for (const [code, info] of Object.entries(FORMAT_INFO)) {
  FORMAT_BY_ALIAS.set(code.toLowerCase(), code);
  if (info.fileType) FORMAT_BY_ALIAS.set(info.fileType.toLowerCase(), code);
  for (const alias of info.aliases) FORMAT_BY_ALIAS.set(alias, code);
}

/**
 * Other codes of the EU file-type table that formats outside our code list are commonly called, so that
 * such a format still gets an EU file-type IRI rather than a home-made node.
 */
const OTHER_EU_FILE_TYPES = new Set([
  '7Z',
  'ATOM',
  'DOC',
  'DOCX',
  'GEOTIFF',
  'GML',
  'GPKG',
  'GZIP',
  'HTML',
  'JPEG',
  'JSON_LD',
  'KML',
  'KMZ',
  'MDB',
  'NETCDF',
  'ODS',
  'ODT',
  'PNG',
  'PPT',
  'PPTX',
  'RDF_TURTLE',
  'RDF_XML',
  'RSS',
  'SQL',
  'TAR',
  'TIFF',
  'TSV',
  'TXT',
  'XLS',
]);

export function fileTypeIri(format: string): string | undefined {
  const code = formatFromValue(format);
  if (!code) return undefined;
  const fileType = FORMAT_INFO[code]?.fileType ?? (OTHER_EU_FILE_TYPES.has(code) ? code : undefined);
  return fileType ? EU_FILE_TYPE + fileType : undefined;
}

/** The media type we declare for one of our formats (when the distribution does not say). */
export function mediaTypeForFormat(format: string): string | undefined {
  const code = formatFromValue(format);
  return code ? FORMAT_INFO[code]?.mediaType : undefined;
}

export function mediaTypeIri(mediaType: string): string {
  return IANA_MEDIA_TYPES + mediaType.trim().toLowerCase();
}

/** A media type from an IANA IRI (http or https, with or without www) or a plain string. */
export function mediaTypeFromValue(value: string): string | undefined {
  const text = value.trim();
  const iana = /^https?:\/\/(?:www\.)?iana\.org\/assignments\/media-types\/(.+)$/i.exec(text);
  const type = (iana?.[1] ?? text).toLowerCase().split(';')[0]?.trim() ?? '';
  return /^[a-z]+\/[\w.+-]+$/.test(type) ? type : undefined;
}

/**
 * Our format code for an EU file-type IRI, an IANA media type (IRI or string) or a format name
 * ("csv", ".csv", "text/csv"). Unknown values come back as an upper-case code; undefined when empty.
 */
export function formatFromValue(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const eu = euCode(text, EU_FILE_TYPE);
  if (eu !== undefined) return FORMAT_BY_ALIAS.get(eu.toLowerCase()) ?? eu.toUpperCase();
  const mediaType = /^https?:\/\//i.test(text) ? mediaTypeFromValue(text) : undefined;
  if (/^https?:\/\//i.test(text) && mediaType === undefined) {
    const segment = lastSegment(text);
    return segment ? (FORMAT_BY_ALIAS.get(segment.toLowerCase()) ?? segment.toUpperCase()) : undefined;
  }
  const key = (mediaType ?? text).toLowerCase().replace(/^\./, '');
  const known = FORMAT_BY_ALIAS.get(key) ?? FORMAT_BY_ALIAS.get(key.split(';')[0]?.trim() ?? '');
  if (known) return known;
  // A media type we have no code for: keep its subtype ("text/html" -> "HTML").
  const subtype = /^[a-z]+\/(?:x-|vnd\.)?([\w.+-]+)$/.exec(key)?.[1];
  return (subtype ?? text).toUpperCase();
}

/** Guesses a format from a file name extension in a URL. */
export function formatFromUrl(url: string): string | undefined {
  const path = url.split(/[?#]/)[0] ?? '';
  const ext = /\.([A-Za-z0-9]{2,7})$/.exec(path)?.[1]?.toLowerCase();
  if (!ext || ['html', 'htm', 'php', 'asp', 'aspx', 'jsp'].includes(ext)) return undefined;
  return FORMAT_BY_ALIAS.get(ext) ?? undefined;
}

export const FILE_TYPE_LABELS: Record<string, string> = {
  CSV: 'CSV',
  XLSX: 'XLSX',
  JSON: 'JSON',
  GEOJSON: 'GeoJSON',
  XML: 'XML',
  PDF: 'PDF',
  SHP: 'ESRI Shapefile',
  ZIP: 'ZIP',
  RDF: 'RDF',
};

// --- Themes <-> data themes -------------------------------------------------------------------------------

const THEME_TO_DATA_THEME: Record<string, string> = {
  economy: 'ECON',
  credit: 'ECON',
  finance: 'ECON',
  transport: 'TRAN',
  health: 'HEAL',
  education: 'EDUC',
  culture: 'EDUC',
  environment: 'ENVI',
  housing: 'REGI',
  'social-security': 'SOCI',
  employment: 'SOCI',
  agriculture: 'AGRI',
  'public-safety': 'JUST',
  institutions: 'GOVE',
  geospatial: 'REGI',
  'life-services': 'SOCI',
  enterprise: 'ECON',
  'market-regulation': 'ECON',
  weather: 'ENVI',
  government: 'GOVE',
};

const DATA_THEME_TO_THEME: Record<string, string> = {
  AGRI: 'agriculture',
  ECON: 'economy',
  EDUC: 'education',
  ENER: 'economy',
  ENVI: 'environment',
  GOVE: 'government',
  HEAL: 'health',
  INTR: 'government',
  JUST: 'public-safety',
  REGI: 'housing',
  SOCI: 'social-security',
  TECH: 'education',
  TRAN: 'transport',
};

export const DATA_THEME_LABELS: Record<string, string> = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
};

export function dataThemeIri(theme: string): string | undefined {
  const code = THEME_TO_DATA_THEME[theme];
  return code ? EU_DATA_THEME + code : undefined;
}

/** The path under the catalog where our own theme concepts live. */
export const THEME_PATH = '/catalog/themes/';

const THEME_CODES = new Set(THEMES.map((theme) => theme.code));

/**
 * Our theme for a theme value: one of our own theme concept IRIs (from any Datapolis catalog), an EU
 * data-theme IRI, or a label that names one of our themes or an EU theme.
 */
export function themeFromValue(value: string): { theme: string; exact: boolean } | undefined {
  const text = value.trim();
  const own = text.lastIndexOf(THEME_PATH);
  if (own >= 0) {
    const code = decodeURIComponent(text.slice(own + THEME_PATH.length));
    if (THEME_CODES.has(code)) return { theme: code, exact: true };
  }
  const eu = euCode(text, EU_DATA_THEME);
  if (eu !== undefined) {
    const theme = DATA_THEME_TO_THEME[eu.toUpperCase()];
    return theme ? { theme, exact: true } : undefined;
  }
  if (/^[a-z][\w+.-]*:/i.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (THEME_CODES.has(lower)) return { theme: lower, exact: true };
  for (const theme of THEMES) {
    if ([theme.label.zh, theme.label.en.toLowerCase(), theme.label.fr.toLowerCase()].includes(lower)) {
      return { theme: theme.code, exact: true };
    }
  }
  for (const [code, label] of Object.entries(DATA_THEME_LABELS)) {
    if (label.toLowerCase() === lower || code.toLowerCase() === lower) {
      const theme = DATA_THEME_TO_THEME[code];
      if (theme) return { theme, exact: false };
    }
  }
  return undefined;
}

// --- Languages --------------------------------------------------------------------------------------------

const LANGUAGE_CODES = { zh: 'ZHO', en: 'ENG', fr: 'FRA' } as const;
export type CatalogLanguage = keyof typeof LANGUAGE_CODES;

export const LANGUAGE_LABELS: Record<string, string> = { ZHO: 'Chinese', ENG: 'English', FRA: 'French' };

export function languageIri(language: CatalogLanguage): string {
  return EU_LANGUAGE + LANGUAGE_CODES[language];
}

/** An EU language IRI's code (e.g. "DEU"), or undefined for anything else. */
export function languageCodeFromIri(value: string): string | undefined {
  return euCode(value, EU_LANGUAGE)?.toUpperCase();
}

// --- Licences ---------------------------------------------------------------------------------------------

const LICENSE_IRIS: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC0-1.0': 'http://creativecommons.org/publicdomain/zero/1.0/',
  'ODC-BY-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
};

/** Licence IRIs and names from other catalogs that mean one of our licences. */
const LICENSE_ALIASES: Record<string, string> = {
  'creativecommons.org/licenses/by/4.0': 'CC-BY-4.0',
  'creativecommons.org/licenses/by/4.0/legalcode': 'CC-BY-4.0',
  'creativecommons.org/publicdomain/zero/1.0': 'CC0-1.0',
  'creativecommons.org/publicdomain/zero/1.0/legalcode': 'CC0-1.0',
  'opendatacommons.org/licenses/by/1-0': 'ODC-BY-1.0',
  'opendatacommons.org/licenses/by/1.0': 'ODC-BY-1.0',
  'opendatacommons.org/licenses/by': 'ODC-BY-1.0',
  'publications.europa.eu/resource/authority/licence/cc_by_4_0': 'CC-BY-4.0',
  'publications.europa.eu/resource/authority/licence/cc0': 'CC0-1.0',
  'publications.europa.eu/resource/authority/licence/odc_by': 'ODC-BY-1.0',
  'dcat-ap.de/def/licenses/cc-zero': 'CC0-1.0',
  'dcat-ap.de/def/licenses/cc-by-4.0': 'CC-BY-4.0',
  'opendefinition.org/licenses/cc-zero': 'CC0-1.0',
  'opendefinition.org/licenses/cc-by-4.0': 'CC-BY-4.0',
  'opendefinition.org/licenses/odc-by': 'ODC-BY-1.0',
  'cc-by-4.0': 'CC-BY-4.0',
  'cc-by 4.0': 'CC-BY-4.0',
  'cc0-1.0': 'CC0-1.0',
  cc0: 'CC0-1.0',
  'cc-zero': 'CC0-1.0',
  'odc-by-1.0': 'ODC-BY-1.0',
  'odc-by': 'ODC-BY-1.0',
};

/** The IRI for one of our licence codes; licences without a public IRI get one under our base URL. */
export function licenseIri(code: string, baseUrl: string): string {
  return LICENSE_IRIS[code] ?? `${baseUrl}/licenses/${encodeURIComponent(code)}`;
}

/**
 * Our licence code for a licence IRI or name when we know it (`knownCodes` are the codes of the licence
 * code list); otherwise the value itself.
 */
export function licenseFromValue(value: string, knownCodes: readonly string[]): string {
  const text = value.trim();
  if (knownCodes.includes(text)) return text;
  const ownPath = /\/licenses\/([^/?#]+)\/?$/.exec(text)?.[1];
  if (ownPath !== undefined) {
    const code = decodeURIComponent(ownPath);
    if (knownCodes.includes(code) && !/dcat-ap\.de|opendefinition/.test(text)) return code;
  }
  const key = text
    .toLowerCase()
    .replace(/^https?:\/\/(?:www\.)?/, '')
    .replace(/\/(?:deed\.[\w-]+)?$/, '')
    .replace(/\/$/, '');
  return LICENSE_ALIASES[key] ?? text;
}
