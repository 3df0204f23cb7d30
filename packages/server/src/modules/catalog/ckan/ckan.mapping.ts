import { LICENSES, THEMES } from '../catalog.codelists.ts';
import {
  type CatalogRecord,
  type Distribution,
  type EntryMetadata,
  FIELD_TYPES,
  type FieldType,
  GRADES,
  type Grade,
  type InformationItem,
  OPEN_TYPES,
  PERSONAL_INFO,
  type PersonalInfo,
  RESOURCE_CLASSIFICATIONS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from '../catalog.model.ts';

/** Licences a CKAN client counts as open (CKAN's `isopen`). */
const OPEN_LICENSES = new Set(['CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0', 'beijing-open-data-1.0']);

const LICENSE_URLS: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'ODC-BY-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
};

export interface CkanOrganization {
  id: string;
  name: string;
  title: string;
  type: 'organization';
  description: string;
  image_url: string;
  created: string;
  is_organization: true;
  approval_status: 'approved';
  state: 'active';
}

export function organizationDict(provider: CatalogRecord['provider'], created = ''): CkanOrganization {
  return {
    id: provider.id,
    name: provider.code,
    title: provider.name,
    type: 'organization',
    description: provider.nameEn ?? '',
    image_url: '',
    created,
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
  };
}

/** A distribution's id for CKAN: globally unique, as CKAN resource ids are. */
export function resourceId(entryId: string, distributionId: string): string {
  return `${entryId}--${distributionId}`;
}

export function themeLabel(code: string, lang: 'zh' | 'en' | 'fr' = 'zh'): string {
  return THEMES.find((t) => t.code === code)?.label[lang] ?? code;
}

function ckanTime(iso: string | undefined): string | null {
  // CKAN writes naive UTC timestamps without the zone designator.
  return iso === undefined ? null : iso.replace(/Z$/, '');
}

/** An entry as a CKAN package dict (the shape of CKAN 2.9/2.10 `package_show`), with our fields beside. */
export function packageDict(record: CatalogRecord, siteUrl: string) {
  const m = record.metadata;
  const license = LICENSES.find((l) => l.code === m.license);
  const created = ckanTime(record.publishedAt ?? record.createdAt);
  return {
    id: record.id,
    name: record.code,
    title: m.title.zh,
    title_translated: { zh: m.title.zh, en: m.title.en ?? '', fr: m.title.fr ?? '' },
    notes: m.summary.zh,
    notes_translated: { zh: m.summary.zh, en: m.summary.en ?? '', fr: m.summary.fr ?? '' },
    author: record.provider.name,
    author_email: null,
    maintainer: m.contactPoint?.name ?? null,
    maintainer_email: m.contactPoint?.email ?? null,
    license_id: m.license ?? '',
    license_title: license?.label.en ?? m.license ?? '',
    license_url: m.license === undefined ? '' : (LICENSE_URLS[m.license] ?? ''),
    isopen: m.openType === 'unconditional' && m.license !== undefined && OPEN_LICENSES.has(m.license),
    metadata_created: created,
    metadata_modified: ckanTime(record.updatedAt),
    creator_user_id: null,
    owner_org: record.provider.id,
    organization: organizationDict(record.provider),
    private: m.openType === 'not_open',
    state: record.state === 'retired' ? 'deleted' : 'active',
    type: 'dataset',
    version: String(record.version),
    url: `${siteUrl}/catalog/entries/${record.code}`,
    num_resources: m.distributions.length,
    num_tags: m.keywords.length,
    tags: m.keywords.map((k) => ({ id: k, name: k, display_name: k, state: 'active', vocabulary_id: null })),
    groups: [
      {
        id: m.theme,
        name: m.theme,
        title: themeLabel(m.theme),
        display_name: themeLabel(m.theme),
        description: themeLabel(m.theme, 'en'),
        image_display_url: '',
      },
    ],
    resources: m.distributions.map((d, position) => resourceDict(record, d, position)),
    extras: [
      { key: 'resource_code', value: record.code },
      { key: 'classification', value: m.classification },
      { key: 'open_type', value: m.openType },
      { key: 'share_type', value: m.shareType },
      { key: 'grade', value: m.grade },
      { key: 'update_cycle', value: m.updateCycle },
      { key: 'provider_credit_code', value: m.providerCreditCode },
      ...(m.spatialCoverage === undefined ? [] : [{ key: 'spatial_text', value: m.spatialCoverage }]),
      ...(m.releaseDate === undefined ? [] : [{ key: 'issued', value: m.releaseDate }]),
      ...(m.lastUpdate === undefined ? [] : [{ key: 'modified', value: m.lastUpdate }]),
    ],
    relationships_as_object: [],
    relationships_as_subject: [],
    resource_code: record.code,
    classification: m.classification,
    open_type: m.openType,
    open_condition: m.openCondition ?? null,
    share_type: m.shareType,
    share_condition: m.shareCondition ?? null,
    grade: m.grade,
    update_cycle: m.updateCycle,
    information_items: m.informationItems,
  };
}

export function resourceDict(record: CatalogRecord, d: Distribution, position: number) {
  return {
    id: resourceId(record.id, d.id),
    package_id: record.id,
    name: d.title.zh,
    description: d.description ?? '',
    format: d.format,
    url: d.url ?? '',
    mimetype: d.mediaType ?? null,
    size: d.byteSize ?? null,
    created: ckanTime(record.publishedAt ?? record.createdAt),
    last_modified: ckanTime(record.updatedAt),
    position,
    state: 'active',
    url_type: d.kind === 'datastore' ? 'datastore' : '',
    resource_type: d.kind,
    datastore_active: d.kind === 'datastore',
    hash: '',
    cache_url: null,
  };
}

export class CkanInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function pick<T extends string>(values: readonly T[], value: unknown, field: string, fallback?: T): T {
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new CkanInputError(field, 'Missing value');
  }
  if ((values as readonly unknown[]).includes(value)) return value as T;
  throw new CkanInputError(field, `Must be one of ${values.join(', ')}`);
}

function translated(dict: Record<string, unknown>, key: string, plainKey: string) {
  const t = (dict[key] ?? {}) as Record<string, unknown>;
  const zh = str(t.zh) ?? str(dict[plainKey]);
  return {
    zh: zh ?? '',
    ...(str(t.en) === undefined ? {} : { en: str(t.en)! }),
    ...(str(t.fr) === undefined ? {} : { fr: str(t.fr)! }),
  };
}

function informationItems(value: unknown): InformationItem[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new CkanInputError('information_items', 'Must be a JSON list of fields');
    }
  }
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new CkanInputError('information_items', 'Must be a list of fields');
  return list.map((raw, i) => {
    const f = raw as Record<string, unknown>;
    const name = str(f.name);
    if (name === undefined) throw new CkanInputError(`information_items.${i}.name`, 'Missing value');
    return {
      name,
      type: pick(FIELD_TYPES, f.type, `information_items.${i}.type`, 'string' as FieldType),
      ...(str(f.description) === undefined ? {} : { description: str(f.description)! }),
      grade: pick(GRADES, f.grade, `information_items.${i}.grade`, 'general-1' as Grade),
      personalInfo: pick(
        PERSONAL_INFO,
        f.personalInfo ?? f.personal_info,
        `information_items.${i}.personalInfo`,
        'none' as PersonalInfo,
      ),
    };
  });
}

/**
 * A package dict from a CKAN client (package_create / package_update) as catalog metadata. Our own fields
 * are read from top-level keys or from `extras`, so clients that only know CKAN's extras still work.
 */
export function metadataFromPackage(
  dict: Record<string, unknown>,
  organization: { id: string; creditCode: string },
): EntryMetadata {
  const extras = new Map<string, unknown>();
  if (Array.isArray(dict.extras))
    for (const e of dict.extras as { key?: unknown; value?: unknown }[])
      if (typeof e?.key === 'string') extras.set(e.key, e.value);
  const field = (name: string) => dict[name] ?? extras.get(name);
  const tags = Array.isArray(dict.tags)
    ? (dict.tags as unknown[])
        .map((t) => (typeof t === 'string' ? t : (str((t as { name?: unknown })?.name) ?? '')))
        .filter((t) => t !== '')
    : [];
  const groups = Array.isArray(dict.groups)
    ? (dict.groups as { name?: unknown }[]).map((g) => str(g?.name)).filter((g) => g !== undefined)
    : [];
  const resources = Array.isArray(dict.resources) ? (dict.resources as Record<string, unknown>[]) : [];
  const distributions: Distribution[] = resources.map((r, i) => {
    const url = str(r.url);
    return {
      id: `d${i + 1}`,
      kind: r.resource_type === 'api' ? 'api' : r.url_type === 'datastore' ? 'datastore' : 'file',
      title: { zh: str(r.name) ?? `资源 ${i + 1}` },
      format:
        (str(r.format) ?? 'CSV').toUpperCase() === 'GEOJSON'
          ? 'GeoJSON'
          : (str(r.format) ?? 'CSV').toUpperCase(),
      ...(url === undefined ? {} : { url }),
      ...(str(r.mimetype) === undefined ? {} : { mediaType: str(r.mimetype)! }),
      ...(typeof r.size === 'number' && r.size >= 0 ? { byteSize: Math.round(r.size) } : {}),
      ...(str(r.description) === undefined ? {} : { description: str(r.description)! }),
    };
  });
  const formats = [...new Set(distributions.map((d) => d.format))];
  const maintainer = str(dict.maintainer);
  const email = str(dict.maintainer_email);
  const code =
    str(field('resource_code')) ??
    (str(dict.name) !== undefined && /^[1-3]-\d{2}-\d{3}-\d{3}-\d{6}$/.test(str(dict.name)!)
      ? str(dict.name)
      : undefined);
  const openCondition = str(field('open_condition'));
  const shareCondition = str(field('share_condition'));
  const license = str(dict.license_id);
  const grade = pick(GRADES, field('grade'), 'grade', 'general-1' as Grade);
  return {
    ...(code === undefined ? {} : { code }),
    title: translated(dict, 'title_translated', 'title'),
    summary: translated(dict, 'notes_translated', 'notes'),
    organizationId: organization.id,
    providerCreditCode: organization.creditCode,
    classification: pick(RESOURCE_CLASSIFICATIONS, field('classification'), 'classification', 'thematic'),
    theme: str(field('theme')) ?? groups[0] ?? '',
    keywords: tags,
    formats,
    informationItems: informationItems(field('information_items')),
    shareType: pick(SHARE_TYPES, field('share_type'), 'share_type', 'unconditional'),
    ...(shareCondition === undefined ? {} : { shareCondition }),
    openType: pick(
      OPEN_TYPES,
      field('open_type'),
      'open_type',
      dict.private === true ? 'not_open' : 'unconditional',
    ),
    ...(openCondition === undefined ? {} : { openCondition }),
    updateCycle: pick(UPDATE_CYCLES, field('update_cycle'), 'update_cycle', 'irregular'),
    ...(str(field('issued')) === undefined ? {} : { releaseDate: str(field('issued'))! }),
    ...(str(field('modified')) === undefined ? {} : { lastUpdate: str(field('modified'))! }),
    relatedCodes: [],
    ...(license === undefined ? {} : { license }),
    ...(maintainer === undefined
      ? {}
      : { contactPoint: { name: maintainer, ...(email === undefined ? {} : { email }) } }),
    ...(str(field('spatial_text')) === undefined ? {} : { spatialCoverage: str(field('spatial_text'))! }),
    grade,
    distributions,
  };
}
