import type {
  Classification,
  Distribution,
  DistributionKind,
  EntryMetadata,
  FieldType,
  Grade,
  InformationItem,
  LocalizedText,
  OpenType,
  PersonalInfo,
  ShareType,
  UpdateCycle,
} from './catalog-types.ts';

type Loose<T> = { [K in keyof T]?: T[K] | null | undefined };

/** What the editor's form holds: the metadata with every field possibly empty while the user types. */
export interface EditorValues {
  code?: string | null;
  organizationId?: string | null;
  providerCreditCode?: string | null;
  title?: Loose<LocalizedText> | null;
  summary?: Loose<LocalizedText> | null;
  classification?: Classification | null;
  theme?: string | null;
  keywords?: string[] | null;
  formats?: string[] | null;
  informationItems?:
    | (Loose<Omit<InformationItem, 'title'>> & { title?: Loose<LocalizedText> | null })[]
    | null;
  shareType?: ShareType | null;
  shareCondition?: string | null;
  shareMethod?: string | null;
  openType?: OpenType | null;
  openCondition?: string | null;
  updateCycle?: UpdateCycle | null;
  releaseDate?: string | null;
  lastUpdate?: string | null;
  relatedCodes?: string[] | null;
  license?: string | null;
  contactPoint?: Loose<NonNullable<EntryMetadata['contactPoint']>> | null;
  spatialCoverage?: string | null;
  temporalCoverage?: Loose<NonNullable<EntryMetadata['temporalCoverage']>> | null;
  grade?: Grade | null;
  distributions?: (Loose<Omit<Distribution, 'title'>> & { title?: Loose<LocalizedText> | null })[] | null;
  extras?: Record<string, string | number | boolean | string[] | null | undefined> | null;
  sourceUri?: string | null;
}

/** Defaults for a new entry: lists empty, and the most cautious choices for the required choices. */
export function newEntryValues(
  organizationId: string | undefined,
  providerCreditCode: string | undefined,
): EditorValues {
  return {
    organizationId: organizationId ?? null,
    providerCreditCode: providerCreditCode ?? '',
    title: { zh: '', en: '', fr: '' },
    summary: { zh: '', en: '', fr: '' },
    classification: 'departmental',
    theme: null,
    keywords: [],
    formats: [],
    informationItems: [],
    shareType: 'unconditional',
    // Nothing opens until the provider decides it: the lawful default.
    openType: 'not_open',
    updateCycle: 'irregular',
    relatedCodes: [],
    grade: 'general-1',
    distributions: [],
  };
}

/** The form's values for existing metadata: every text field present, so inputs are controlled. */
export function editorValuesOf(metadata: EntryMetadata): EditorValues {
  return {
    ...metadata,
    title: { en: '', fr: '', ...metadata.title },
    summary: { en: '', fr: '', ...metadata.summary },
    informationItems: metadata.informationItems.map((item) => ({
      ...item,
      title: { zh: '', ...item.title },
    })),
    distributions: metadata.distributions.map((d) => ({ ...d, title: { en: '', fr: '', ...d.title } })),
  };
}

function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function localizedText(value: Loose<LocalizedText> | null | undefined): LocalizedText {
  const out: LocalizedText = { zh: value?.zh?.trim() ?? '' };
  const en = text(value?.en);
  const fr = text(value?.fr);
  if (en !== undefined) out.en = en;
  if (fr !== undefined) out.fr = fr;
  return out;
}

function optionalLocalized(value: Loose<LocalizedText> | null | undefined): LocalizedText | undefined {
  const out = localizedText(value);
  return out.zh === '' && out.en === undefined && out.fr === undefined ? undefined : out;
}

function list(values: readonly (string | null | undefined)[] | null | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v?.trim() ?? '').filter((v) => v !== ''))];
}

function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * The metadata the API takes, from what the form holds: texts trimmed, empty optional fields left out,
 * and the conditions of share and open types only when the type is conditional (they are hidden otherwise).
 * Empty required fields stay empty, so the server can say what is missing.
 */
export function metadataOf(values: EditorValues): EntryMetadata {
  const metadata: EntryMetadata = {
    title: localizedText(values.title),
    summary: localizedText(values.summary),
    organizationId: values.organizationId ?? '',
    providerCreditCode: values.providerCreditCode?.trim() ?? '',
    classification: values.classification ?? 'departmental',
    theme: values.theme ?? '',
    keywords: list(values.keywords),
    formats: list(values.formats),
    informationItems: (values.informationItems ?? []).map((item) => {
      const out: InformationItem = {
        name: item.name?.trim() ?? '',
        type: (item.type ?? 'string') as FieldType,
        grade: (item.grade ?? 'general-1') as Grade,
        personalInfo: (item.personalInfo ?? 'none') as PersonalInfo,
      };
      put(out, 'title', optionalLocalized(item.title));
      put(out, 'description', text(item.description));
      return out;
    }),
    shareType: values.shareType ?? 'unconditional',
    openType: values.openType ?? 'not_open',
    updateCycle: values.updateCycle ?? 'irregular',
    relatedCodes: list(values.relatedCodes),
    grade: values.grade ?? 'general-1',
    distributions: (values.distributions ?? []).map((d) => {
      const out: Distribution = {
        id: d.id ?? '',
        kind: (d.kind ?? 'file') as DistributionKind,
        title: localizedText(d.title),
        format: d.format?.trim() ?? '',
      };
      put(out, 'url', text(d.url));
      put(out, 'mediaType', text(d.mediaType));
      if (typeof d.byteSize === 'number' && Number.isFinite(d.byteSize)) out.byteSize = d.byteSize;
      put(out, 'description', text(d.description));
      return out;
    }),
  };
  put(metadata, 'code', text(values.code));
  if (metadata.shareType === 'conditional') put(metadata, 'shareCondition', text(values.shareCondition));
  put(metadata, 'shareMethod', text(values.shareMethod));
  if (metadata.openType === 'conditional') put(metadata, 'openCondition', text(values.openCondition));
  put(metadata, 'releaseDate', text(values.releaseDate));
  put(metadata, 'lastUpdate', text(values.lastUpdate));
  put(metadata, 'license', text(values.license));
  const contact = values.contactPoint;
  if (
    text(contact?.name) !== undefined ||
    text(contact?.email) !== undefined ||
    text(contact?.phone) !== undefined
  ) {
    const point: NonNullable<EntryMetadata['contactPoint']> = { name: text(contact?.name) ?? '' };
    put(point, 'email', text(contact?.email));
    put(point, 'phone', text(contact?.phone));
    metadata.contactPoint = point;
  }
  put(metadata, 'spatialCoverage', text(values.spatialCoverage));
  const start = text(values.temporalCoverage?.start);
  const end = text(values.temporalCoverage?.end);
  if (start !== undefined || end !== undefined) {
    const coverage: NonNullable<EntryMetadata['temporalCoverage']> = {};
    put(coverage, 'start', start);
    put(coverage, 'end', end);
    metadata.temporalCoverage = coverage;
  }
  const extras: NonNullable<EntryMetadata['extras']> = {};
  for (const [key, value] of Object.entries(values.extras ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      if (value.trim() !== '') extras[key] = value.trim();
    } else if (!Array.isArray(value) || value.length > 0) extras[key] = value;
  }
  if (Object.keys(extras).length > 0) metadata.extras = extras;
  put(metadata, 'sourceUri', text(values.sourceUri));
  return metadata;
}
