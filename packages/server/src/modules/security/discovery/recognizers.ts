/**
 * Recogniser definitions in the manner of Microsoft Presidio: each has a base score for its pattern,
 * raised when a checksum or a stricter form validates, and context words that raise it further when they
 * occur in the column's name, title or description.
 */
import type { RecognizerId, ScanField } from './discovery.model.ts';

export interface RecognizerDefinition {
  id: RecognizerId;
  /** Personal-information category of a column that holds it. */
  category: 'none' | 'personal' | 'sensitive';
  /** What one value is, for the proposal's reason. */
  noun: string;
  /** Chinese words found anywhere in the column's texts, English words and phrases found as whole words. */
  context: readonly string[];
  /** Field names that are context only when they are the whole name ("name" is too common inside others). */
  exactNames?: readonly string[];
  /** Added to the score when context is present (Presidio's context similarity factor is 0.35). */
  boost: number;
}

/** The floor of a score with context (Presidio's min_score_with_context_similarity). */
export const MIN_SCORE_WITH_CONTEXT = 0.4;
export const CONTEXT_BOOST = 0.35;

// Sensitive personal information (PIPL Art. 28): identity and financial account numbers, and whereabouts
// (precise coordinates). A passport number identifies as precisely as the identity number.
export const RECOGNIZERS: readonly RecognizerDefinition[] = [
  {
    id: 'resident-id',
    category: 'sensitive',
    noun: 'resident identity numbers (check character and birth date valid)',
    context: [
      '身份证',
      '身份号',
      '证件号',
      '公民身份',
      'id card',
      'idcard',
      'id number',
      'id no',
      'identity',
      'citizen id',
      'national id',
      'sfz',
      'sfzh',
      'sfzhm',
      'zjhm',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'credit-code',
    category: 'none',
    noun: 'unified social credit codes of organisations (check character valid)',
    context: [
      '信用代码',
      '统一社会信用',
      '社会信用',
      '组织机构代码',
      'credit code',
      'uscc',
      'tyshxydm',
      'xydm',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'mobile',
    category: 'personal',
    noun: 'mainland mobile numbers',
    context: [
      '手机',
      '电话',
      '联系方式',
      '移动',
      'mobile',
      'phone',
      'telephone',
      'tel',
      'cell',
      'cellphone',
      'sjh',
      'sjhm',
      'lxdh',
      'dh',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'email',
    category: 'personal',
    noun: 'e-mail addresses',
    context: ['邮箱', '邮件', '电邮', 'email', 'e mail', 'mail', 'yx', 'dzyx'],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'bank-card',
    category: 'sensitive',
    noun: 'bank card numbers (Luhn check digit valid)',
    context: [
      '银行卡',
      '卡号',
      '银行账',
      '账号',
      '账户',
      '帐号',
      '帐户',
      'bank',
      'card',
      'account',
      'pan',
      'yhkh',
      'kh',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'passport',
    category: 'sensitive',
    noun: 'passport numbers',
    context: ['护照', '证件号', 'passport', 'travel document', 'hz', 'hzhm'],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'vehicle-plate',
    category: 'personal',
    noun: 'vehicle plates',
    context: [
      '车牌',
      '号牌',
      '牌照',
      '车辆',
      'plate',
      'license plate',
      'licence plate',
      'vehicle',
      'cph',
      'hphm',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'ipv4',
    category: 'personal',
    noun: 'IPv4 addresses',
    context: ['ip地址', 'ip', 'ipv4', 'ip address', 'client ip', 'remote addr', 'remote address', 'host'],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'ipv6',
    category: 'personal',
    noun: 'IPv6 addresses',
    context: ['ip地址', 'ip', 'ipv6', 'ip address', 'client ip', 'remote addr', 'remote address', 'host'],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'coordinates',
    category: 'sensitive',
    noun: 'precise coordinates (4 decimals or more, about 11 m)',
    context: [
      '经纬度',
      '坐标',
      '位置',
      '定位',
      '经度',
      '纬度',
      'lat',
      'lng',
      'lon',
      'latitude',
      'longitude',
      'coordinates',
      'coordinate',
      'location',
      'position',
      'gps',
      'geo',
      'jd',
      'wd',
    ],
    boost: CONTEXT_BOOST,
  },
  {
    id: 'person-name',
    category: 'personal',
    noun: 'Chinese personal names',
    context: [
      '姓名',
      '名字',
      '联系人',
      '申请人',
      '负责人',
      '法定代表人',
      '法人代表',
      '户主',
      '患者',
      '经办人',
      '收件人',
      '投诉人',
      'full name',
      'fullname',
      'real name',
      'realname',
      'person name',
      'first name',
      'last name',
      'surname',
      'given name',
      'contact',
      'contact name',
      'applicant',
      'patient',
      'xm',
      'lxr',
    ],
    exactNames: ['name', 'names', 'xingming'],
    // A surname list alone is weak evidence (王府井, 高速 ...): the column's context makes the finding.
    boost: 0.55,
  },
  {
    id: 'address',
    category: 'personal',
    noun: 'street addresses',
    context: [
      '地址',
      '住址',
      '住所',
      '居住地',
      '户籍',
      '通讯地址',
      'address',
      'addr',
      'street',
      'residence',
      'domicile',
      'dz',
      'zz',
    ],
    boost: CONTEXT_BOOST,
  },
];

export const RECOGNIZER_INDEX: Readonly<Record<RecognizerId, number>> = Object.fromEntries(
  RECOGNIZERS.map((r, i) => [r.id, i]),
) as Record<RecognizerId, number>;

/** The column's texts made comparable: lower case, camelCase and snake_case split into words. */
export interface ColumnContext {
  /** Name, title and description, lower case. */
  text: string;
  /** The same as words separated by single spaces, padded with a space at each end. */
  words: string;
  /** The name alone, as words without padding. */
  nameWords: string;
}

function toWords(text: string): string {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/[^a-z0-9\u4e00-\u9fff]+/g, ' ')
      // 登录IP, IP地址: Latin words end where Han characters begin.
      .replace(/([\u4e00-\u9fff])([a-z0-9])/g, '$1 $2')
      .replace(/([a-z0-9])([\u4e00-\u9fff])/g, '$1 $2')
      .trim()
  );
}

export function columnContext(field: ScanField): ColumnContext {
  const parts = [field.name, field.title ?? '', field.description ?? ''];
  return {
    text: parts.join(' ').toLowerCase(),
    words: ` ${parts.map(toWords).join(' ')} `,
    nameWords: toWords(field.name),
  };
}

function isAscii(word: string): boolean {
  return /^[\x20-\x7e]+$/.test(word);
}

/** True when one of the recogniser's context words occurs in the column's texts. */
export function hasContext(recognizer: RecognizerDefinition, context: ColumnContext): boolean {
  if (recognizer.exactNames?.includes(context.nameWords)) return true;
  for (const word of recognizer.context) {
    if (isAscii(word) ? context.words.includes(` ${word} `) : context.text.includes(word)) return true;
  }
  return false;
}

const LATITUDE_WORDS = ['纬度', ' lat ', ' latitude ', ' wd ', ' weidu '];
const LONGITUDE_WORDS = ['经度', ' lng ', ' lon ', ' long ', ' longitude ', ' jd ', ' jingdu '];

/**
 * 90 when the column's name says it holds latitudes, 180 for longitudes, 0 otherwise: single numbers are
 * read as coordinates only in such a column.
 */
export function degreeLimit(context: ColumnContext): number {
  const has = (words: readonly string[]) =>
    words.some((w) => (w.startsWith(' ') ? context.words.includes(w) : context.text.includes(w)));
  if (has(LATITUDE_WORDS)) return 90;
  if (has(LONGITUDE_WORDS)) return 180;
  return 0;
}
