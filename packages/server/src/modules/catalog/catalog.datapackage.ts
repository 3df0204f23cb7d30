import type { CatalogRecord, FieldType } from './catalog.model.ts';

/** Table Schema types are ours already, except that a datastore's geo columns keep their names. */
const TABLE_SCHEMA_TYPE: Record<FieldType, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  year: 'year',
  geopoint: 'geopoint',
  geojson: 'geojson',
  object: 'object',
  array: 'array',
};

const LICENSE_PATHS: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'ODC-BY-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
};

function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'resource'
  );
}

/**
 * An entry as a Frictionless Data Package descriptor: its information items become the Table Schema of
 * each tabular resource, so frictionless tools can validate the files against what the catalog declares.
 */
export function dataPackage(record: CatalogRecord, siteUrl: string) {
  const m = record.metadata;
  const schema = {
    fields: m.informationItems.map((f) => ({
      name: f.name,
      type: TABLE_SCHEMA_TYPE[f.type],
      ...(f.title === undefined ? {} : { title: f.title.zh }),
      ...(f.description === undefined ? {} : { description: f.description }),
    })),
  };
  const tabular = new Set(['CSV', 'XLSX', 'JSON', 'TSV']);
  return {
    profile: 'data-package',
    name: slug(record.code),
    id: `${siteUrl}/catalog/entries/${record.code}`,
    title: m.title.en ?? m.title.zh,
    description: m.summary.en ?? m.summary.zh,
    homepage: `${siteUrl}/catalog/entries/${record.code}`,
    version: String(record.version),
    created: record.publishedAt ?? record.createdAt,
    keywords: m.keywords,
    ...(m.license === undefined
      ? {}
      : {
          licenses: [
            {
              name: m.license,
              ...(LICENSE_PATHS[m.license] === undefined ? {} : { path: LICENSE_PATHS[m.license] }),
            },
          ],
        }),
    contributors: [
      { title: record.provider.name, role: 'publisher' },
      ...(m.contactPoint === undefined
        ? []
        : [
            {
              title: m.contactPoint.name,
              ...(m.contactPoint.email === undefined ? {} : { email: m.contactPoint.email }),
              role: 'maintainer',
            },
          ]),
    ],
    resources: m.distributions
      .filter((d) => d.url !== undefined)
      .map((d) => ({
        name: slug(`${d.id}-${d.format}`),
        path: d.url!.startsWith('/') ? `${siteUrl}${d.url}` : d.url!,
        title: d.title.zh,
        format: d.format.toLowerCase(),
        ...(d.mediaType === undefined ? {} : { mediatype: d.mediaType }),
        ...(d.byteSize === undefined ? {} : { bytes: d.byteSize }),
        ...(tabular.has(d.format.toUpperCase()) && schema.fields.length > 0
          ? { profile: 'tabular-data-resource', schema }
          : {}),
      })),
    datapolis: {
      code: record.code,
      openType: m.openType,
      shareType: m.shareType,
      grade: m.grade,
      updateCycle: m.updateCycle,
    },
  };
}
