import type { FieldError } from '../../kernel/errors.ts';
import { isValidCreditCode } from '../../lib/credit-code.ts';
import {
  CLASSIFICATIONS,
  type CodeListItem,
  FORMATS,
  GRADE_LABELS,
  LICENSES,
  OPEN_TYPE_LABELS,
  PERSONAL_INFO_LABELS,
  SHARE_TYPE_LABELS,
  THEMES,
  UPDATE_CYCLE_LABELS,
} from './catalog.codelists.ts';
import {
  type EntryMetadata,
  FIELD_TYPES,
  type LocalizedText,
  RESOURCE_CODE_PATTERN,
} from './catalog.model.ts';

/**
 * The catalog standard as data: which fields are required, which code list a field takes its values
 * from, and per-field limits. The default ships here; an operator extends it (more required fields,
 * more code-list values, extra fields) through the API, and every save is checked against the result.
 */
export interface FieldRule {
  /** A path into the metadata: `title.zh`, `keywords`, `contactPoint.email`, `extras.budgetCode`. */
  path: string;
  label: Required<LocalizedText>;
  required?: boolean;
  /** Required only when another field has one of these values (e.g. a condition for conditional opening). */
  requiredWhen?: { path: string; values: string[] };
  /** The code list the value (or each value of a list) must come from. */
  codeList?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  /** A regular expression (source text) the value must match. */
  pattern?: string;
  /** Checked only for entries compiled here, not for harvested ones (which the source cannot provide). */
  localOnly?: boolean;
  /** Kind of value for the extras an operator adds. */
  type?: 'text' | 'number' | 'boolean' | 'date' | 'list';
}

export interface CatalogProfile {
  id: string;
  version: number;
  codeLists: Record<string, CodeListItem[]>;
  rules: FieldRule[];
}

/** What an operator may add to the default profile; nothing in it can loosen the default. */
export interface ProfileExtension {
  rules?: FieldRule[];
  codeLists?: Record<string, CodeListItem[]>;
}

function label(zh: string, en: string, fr: string): Required<LocalizedText> {
  return { zh, en, fr };
}

export const DEFAULT_PROFILE: CatalogProfile = {
  id: 'datapolis-catalog-standard-1',
  version: 1,
  codeLists: {
    themes: THEMES,
    formats: FORMATS,
    licenses: LICENSES,
    classifications: CLASSIFICATIONS,
    shareTypes: SHARE_TYPE_LABELS,
    openTypes: OPEN_TYPE_LABELS,
    updateCycles: UPDATE_CYCLE_LABELS,
    grades: GRADE_LABELS,
    personalInfo: PERSONAL_INFO_LABELS,
  },
  rules: [
    {
      path: 'title.zh',
      label: label('资源名称', 'Name', 'Nom'),
      required: true,
      minLength: 2,
      maxLength: 200,
    },
    { path: 'title.en', label: label('英文名称', 'Name in English', 'Nom en anglais'), maxLength: 300 },
    { path: 'title.fr', label: label('法文名称', 'Name in French', 'Nom en français'), maxLength: 300 },
    {
      path: 'summary.zh',
      label: label('资源摘要', 'Summary', 'Résumé'),
      required: true,
      minLength: 10,
      maxLength: 4000,
    },
    {
      path: 'summary.en',
      label: label('英文摘要', 'Summary in English', 'Résumé en anglais'),
      maxLength: 8000,
    },
    {
      path: 'summary.fr',
      label: label('法文摘要', 'Summary in French', 'Résumé en français'),
      maxLength: 8000,
    },
    {
      path: 'providerCreditCode',
      label: label(
        '提供方统一社会信用代码',
        "Provider's unified social credit code",
        'Code de crédit social du fournisseur',
      ),
      required: true,
    },
    {
      path: 'classification',
      label: label('资源分类', 'Resource classification', 'Classification'),
      required: true,
      codeList: 'classifications',
    },
    { path: 'theme', label: label('主题', 'Theme', 'Thème'), required: true, codeList: 'themes' },
    {
      path: 'keywords',
      label: label('关键词', 'Keywords', 'Mots-clés'),
      required: true,
      minItems: 1,
      maxItems: 20,
      maxLength: 50,
      // Many harvested catalogs carry no keywords; their records still import.
      localOnly: true,
    },
    {
      path: 'formats',
      label: label('资源格式', 'Formats', 'Formats'),
      required: true,
      minItems: 1,
      codeList: 'formats',
    },
    {
      path: 'informationItems',
      label: label('信息项', 'Information items', "Éléments d'information"),
      required: true,
      minItems: 1,
      maxItems: 500,
      localOnly: true,
    },
    {
      path: 'shareType',
      label: label('共享类型', 'Share type', 'Type de partage'),
      required: true,
      codeList: 'shareTypes',
    },
    {
      path: 'shareCondition',
      label: label('共享条件', 'Share condition', 'Condition de partage'),
      requiredWhen: { path: 'shareType', values: ['conditional'] },
      maxLength: 2000,
    },
    { path: 'shareMethod', label: label('共享方式', 'Share method', 'Mode de partage'), maxLength: 200 },
    {
      path: 'openType',
      label: label('开放类型', 'Open type', "Type d'ouverture"),
      required: true,
      codeList: 'openTypes',
    },
    {
      path: 'openCondition',
      label: label('开放条件', 'Open condition', "Condition d'ouverture"),
      requiredWhen: { path: 'openType', values: ['conditional'] },
      maxLength: 2000,
    },
    {
      path: 'updateCycle',
      label: label('更新周期', 'Update cycle', 'Fréquence de mise à jour'),
      required: true,
      codeList: 'updateCycles',
    },
    { path: 'releaseDate', label: label('发布日期', 'Release date', 'Date de publication'), type: 'date' },
    { path: 'lastUpdate', label: label('最近更新', 'Last update', 'Dernière mise à jour'), type: 'date' },
    { path: 'license', label: label('许可协议', 'Licence', 'Licence'), maxLength: 300 },
    {
      path: 'contactPoint.name',
      label: label('联系人', 'Contact point', 'Point de contact'),
      maxLength: 200,
    },
    {
      path: 'contactPoint.email',
      label: label('联系邮箱', 'Contact e-mail', 'Courriel de contact'),
      pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      maxLength: 200,
    },
    {
      path: 'spatialCoverage',
      label: label('空间范围', 'Spatial coverage', 'Couverture spatiale'),
      maxLength: 200,
    },
    { path: 'grade', label: label('数据分级', 'Grade', 'Niveau'), required: true, codeList: 'grades' },
  ],
};

/** The default profile with an operator's extension: more rules and more code-list values, never fewer. */
export function extendProfile(
  base: CatalogProfile,
  extension: ProfileExtension | undefined,
  version: number,
): CatalogProfile {
  if (extension === undefined) return base;
  const codeLists: Record<string, CodeListItem[]> = { ...base.codeLists };
  for (const [name, items] of Object.entries(extension.codeLists ?? {})) {
    const existing = codeLists[name] ?? [];
    const known = new Set(existing.map((i) => i.code));
    codeLists[name] = [...existing, ...items.filter((i) => !known.has(i.code))];
  }
  return { id: base.id, version, codeLists, rules: [...base.rules, ...(extension.rules ?? [])] };
}

/** Problems with an extension itself: extra fields must live under `extras.` or tighten an existing field. */
/** Code lists whose values the code itself acts on: an extension cannot add to them. */
const FIXED_CODE_LISTS = [
  'classifications',
  'shareTypes',
  'openTypes',
  'updateCycles',
  'grades',
  'personalInfo',
];

export function checkExtension(base: CatalogProfile, extension: ProfileExtension): FieldError[] {
  const errors: FieldError[] = [];
  for (const name of Object.keys(extension.codeLists ?? {})) {
    if (FIXED_CODE_LISTS.includes(name))
      errors.push({
        path: `/codeLists/${name}`,
        message: `The values of "${name}" are fixed by the regulation and the platform's rules; they cannot be extended.`,
      });
  }
  const themes = new Set(
    [...(base.codeLists.themes ?? []), ...(extension.codeLists?.themes ?? [])].map((t) => t.code),
  );
  // The theme's position is two digits of the resource code.
  if (themes.size > 99)
    errors.push({ path: '/codeLists/themes', message: 'At most 99 themes fit in the resource code.' });
  const knownPaths = new Set(base.rules.map((r) => r.path));
  (extension.rules ?? []).forEach((rule, i) => {
    if (!rule.path.startsWith('extras.') && !knownPaths.has(rule.path))
      errors.push({
        path: `/rules/${i}/path`,
        message: `"${rule.path}" is neither a field of the standard nor an extra field (extras.<name>).`,
      });
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern, 'u');
      } catch {
        errors.push({ path: `/rules/${i}/pattern`, message: 'This is not a valid regular expression.' });
      }
    }
    if (
      rule.codeList !== undefined &&
      base.codeLists[rule.codeList] === undefined &&
      extension.codeLists?.[rule.codeList] === undefined
    )
      errors.push({ path: `/rules/${i}/codeList`, message: `No code list is called "${rule.codeList}".` });
  });
  return errors;
}

export type Language = 'zh' | 'en' | 'fr';

/** Picks the web app language from an Accept-Language header; Chinese when nothing matches. */
export function languageOf(acceptLanguage: string | undefined): Language {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().toLowerCase().slice(0, 2);
    if (tag === 'zh' || tag === 'en' || tag === 'fr') return tag;
  }
  return 'zh';
}

type MessageKey =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  | 'tooFew'
  | 'tooMany'
  | 'notInList'
  | 'pattern'
  | 'date'
  | 'creditCode'
  | 'resourceCode'
  | 'type'
  | 'duplicateField'
  | 'gradeBelowFields'
  | 'coreOpen'
  | 'importantOpen'
  | 'personalOpen'
  | 'dateOrder';

const MESSAGES: Record<MessageKey, Record<Language, (l: string, p: string) => string>> = {
  required: { zh: (l) => `请填写${l}。`, en: (l) => `${l} is required.`, fr: (l) => `${l} est obligatoire.` },
  tooShort: {
    zh: (l, p) => `${l}至少需要 ${p} 个字符。`,
    en: (l, p) => `${l} needs at least ${p} characters.`,
    fr: (l, p) => `${l} doit compter au moins ${p} caractères.`,
  },
  tooLong: {
    zh: (l, p) => `${l}不能超过 ${p} 个字符。`,
    en: (l, p) => `${l} must be at most ${p} characters.`,
    fr: (l, p) => `${l} doit compter au plus ${p} caractères.`,
  },
  tooFew: {
    zh: (l, p) => `${l}至少需要 ${p} 项。`,
    en: (l, p) => `${l} needs at least ${p} value(s).`,
    fr: (l, p) => `${l} demande au moins ${p} valeur(s).`,
  },
  tooMany: {
    zh: (l, p) => `${l}最多 ${p} 项。`,
    en: (l, p) => `${l} takes at most ${p} values.`,
    fr: (l, p) => `${l} accepte au plus ${p} valeurs.`,
  },
  notInList: {
    zh: (l, p) => `${l}的值“${p}”不在目录标准的代码表中。`,
    en: (l, p) => `${l}: "${p}" is not a value of the catalog standard's code list.`,
    fr: (l, p) => `${l} : « ${p} » n'est pas une valeur de la liste de codes du standard.`,
  },
  pattern: {
    zh: (l) => `${l}的格式不正确。`,
    en: (l) => `${l} is not in the expected format.`,
    fr: (l) => `${l} n'est pas au format attendu.`,
  },
  date: {
    zh: (l) => `${l}应为有效日期（YYYY-MM-DD）。`,
    en: (l) => `${l} must be a valid date (YYYY-MM-DD).`,
    fr: (l) => `${l} doit être une date valide (AAAA-MM-JJ).`,
  },
  creditCode: {
    zh: (l) => `${l}不是有效的统一社会信用代码（校验位不符）。`,
    en: (l) => `${l} is not a valid unified social credit code (check character mismatch).`,
    fr: (l) => `${l} n'est pas un code de crédit social valide (caractère de contrôle erroné).`,
  },
  resourceCode: {
    zh: () => '资源代码应为“类-项-目-细目-顺序码”格式，例如 1-04-001-001-000001。',
    en: () => 'The resource code must read class-item-heading-subheading-sequence, e.g. 1-04-001-001-000001.',
    fr: () =>
      'Le code de ressource doit suivre classe-article-rubrique-sous-rubrique-séquence, ex. 1-04-001-001-000001.',
  },
  type: {
    zh: (l, p) => `${l}的类型应为 ${p}。`,
    en: (l, p) => `${l} must be of type ${p}.`,
    fr: (l, p) => `${l} doit être de type ${p}.`,
  },
  duplicateField: {
    zh: (_l, p) => `信息项“${p}”重复。`,
    en: (_l, p) => `The information item "${p}" appears twice.`,
    fr: (_l, p) => `L'élément d'information « ${p} » apparaît deux fois.`,
  },
  gradeBelowFields: {
    zh: (_l, p) => `数据分级不能低于其信息项的最高分级（${p}）。`,
    en: (_l, p) => `The grade cannot be lower than the highest grade of its information items (${p}).`,
    fr: (_l, p) => `Le niveau ne peut être inférieur au plus haut niveau de ses éléments (${p}).`,
  },
  coreOpen: {
    zh: () => '核心数据不得开放。',
    en: () => 'Core data is never opened.',
    fr: () => 'Les données essentielles ne sont jamais ouvertes.',
  },
  importantOpen: {
    zh: () => '重要数据不得无条件开放。',
    en: () => 'Important data cannot be opened unconditionally.',
    fr: () => 'Les données importantes ne peuvent être ouvertes sans condition.',
  },
  personalOpen: {
    zh: () => '含个人信息的数据不得无条件开放。',
    en: () => 'Data with personal information cannot be opened unconditionally.',
    fr: () => 'Des données personnelles ne peuvent être ouvertes sans condition.',
  },
  dateOrder: {
    zh: () => '最近更新日期不能早于发布日期。',
    en: () => 'The last update cannot be earlier than the release date.',
    fr: () => 'La dernière mise à jour ne peut précéder la date de publication.',
  },
};

function message(key: MessageKey, lang: Language, fieldLabel: string, param = ''): string {
  return MESSAGES[key][lang](fieldLabel, param);
}

function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function pointer(path: string): string {
  return `/${path.replaceAll('.', '/')}`;
}

const RANK: Record<string, number> = {
  core: 0,
  important: 1,
  'general-4': 2,
  'general-3': 3,
  'general-2': 4,
  'general-1': 5,
};

/**
 * Every problem with an entry against the profile, one message per field, in the reader's language.
 * Structure (types, unknown fields) is checked by the route schema before this runs.
 */
export function validateEntry(
  metadata: EntryMetadata,
  profile: CatalogProfile,
  lang: Language,
  options: { harvested?: boolean } = {},
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const push = (path: string, text: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    errors.push({ path: pointer(path), message: text });
  };
  for (const rule of profile.rules) {
    if (rule.localOnly === true && options.harvested === true) continue;
    const fieldLabel = rule.label[lang];
    const value = valueAt(metadata, rule.path);
    const required =
      rule.required === true ||
      rule.requiredWhen?.values.includes(String(valueAt(metadata, rule.requiredWhen.path))) === true;
    if (isBlank(value)) {
      if (required) push(rule.path, message('required', lang, fieldLabel));
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (Array.isArray(value)) {
      if (rule.minItems !== undefined && value.length < rule.minItems)
        push(rule.path, message('tooFew', lang, fieldLabel, String(rule.minItems)));
      if (rule.maxItems !== undefined && value.length > rule.maxItems)
        push(rule.path, message('tooMany', lang, fieldLabel, String(rule.maxItems)));
    }
    for (const v of values) {
      if (typeof v === 'string') {
        const length = [...v.trim()].length;
        if (rule.minLength !== undefined && length < rule.minLength)
          push(rule.path, message('tooShort', lang, fieldLabel, String(rule.minLength)));
        if (rule.maxLength !== undefined && length > rule.maxLength)
          push(rule.path, message('tooLong', lang, fieldLabel, String(rule.maxLength)));
        if (rule.pattern !== undefined && !new RegExp(rule.pattern, 'u').test(v))
          push(rule.path, message('pattern', lang, fieldLabel));
        if (rule.type === 'date' && !isIsoDate(v)) push(rule.path, message('date', lang, fieldLabel));
      } else if (rule.type === 'number' && typeof v !== 'number') {
        push(rule.path, message('type', lang, fieldLabel, 'number'));
      } else if (rule.type === 'boolean' && typeof v !== 'boolean') {
        push(rule.path, message('type', lang, fieldLabel, 'boolean'));
      }
      if (rule.codeList !== undefined) {
        const list = profile.codeLists[rule.codeList] ?? [];
        if (!list.some((item) => item.code === String(v)))
          push(rule.path, message('notInList', lang, fieldLabel, String(v)));
      }
    }
  }

  const creditLabel =
    profile.rules.find((r) => r.path === 'providerCreditCode')?.label[lang] ?? 'providerCreditCode';
  if (!isBlank(metadata.providerCreditCode) && !isValidCreditCode(metadata.providerCreditCode))
    push('providerCreditCode', message('creditCode', lang, creditLabel));
  if (metadata.code !== undefined && !RESOURCE_CODE_PATTERN.test(metadata.code))
    push('code', message('resourceCode', lang, 'code'));

  const names = new Set<string>();
  metadata.informationItems.forEach((field, i) => {
    if (names.has(field.name))
      push(`informationItems.${i}.name`, message('duplicateField', lang, '', field.name));
    names.add(field.name);
    if (!(FIELD_TYPES as readonly string[]).includes(field.type))
      push(`informationItems.${i}.type`, message('notInList', lang, field.name, field.type));
    const grades = profile.codeLists.grades ?? [];
    if (!grades.some((g) => g.code === field.grade))
      push(`informationItems.${i}.grade`, message('notInList', lang, field.name, field.grade));
  });
  const highestField = metadata.informationItems.reduce<string | undefined>(
    (best, f) => (best === undefined || (RANK[f.grade] ?? 9) < (RANK[best] ?? 9) ? f.grade : best),
    undefined,
  );
  const gradeLabel = GRADE_LABELS.find((g) => g.code === highestField)?.label[lang] ?? highestField ?? '';
  if (highestField !== undefined && (RANK[metadata.grade] ?? 9) > (RANK[highestField] ?? 9))
    push('grade', message('gradeBelowFields', lang, '', gradeLabel));

  // Opening rules of the regulation and of GB/T 43697: they hold whatever the profile says.
  if (metadata.grade === 'core' && metadata.openType !== 'not_open')
    push('openType', message('coreOpen', lang, ''));
  if (metadata.grade === 'important' && metadata.openType === 'unconditional')
    push('openType', message('importantOpen', lang, ''));
  if (
    metadata.openType === 'unconditional' &&
    metadata.informationItems.some((f) => f.personalInfo !== 'none')
  )
    push('openType', message('personalOpen', lang, ''));
  if (
    metadata.releaseDate !== undefined &&
    metadata.lastUpdate !== undefined &&
    isIsoDate(metadata.releaseDate) &&
    isIsoDate(metadata.lastUpdate) &&
    metadata.lastUpdate < metadata.releaseDate
  )
    push('lastUpdate', message('dateOrder', lang, ''));
  return errors;
}
