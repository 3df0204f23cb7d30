import type { EntryMetadata, InformationItem } from '../modules/catalog/index.ts';
import type { TableSchema } from '../modules/datastore/index.ts';
import type { HARMS, IMPACT_OBJECTS } from '../modules/security/index.ts';
import { hash, mulberry32, type Rng } from './demo-random.ts';

/**
 * What the demo city shows of the security toolkit (Art. 45-48): the people answerable for data in each
 * institution, one catalog entry of the health commission holding personal information behind a table of
 * synthetic rows, gradings, incidents and a cross-border transfer request. Every person in the table is
 * made up: names are drawn from common characters, identity numbers are well-formed but random, mobile
 * numbers have 0000 in the middle, visit numbers start with DEMO.
 */

// ---- Officers (Art. 46, 48) ------------------------------------------------------------------------

/**
 * The chief data officer and the security officer of each institution that has demo members; both
 * must be members of it (the demo seed's users). The other institutions have no member to name, and the
 * dashboard shows them without officers.
 */
export const DEMO_OFFICERS: readonly {
  organizationCode: string;
  chiefDataOfficer: string;
  securityOfficer: string;
}[] = [
  { organizationCode: 'bjbdc', chiefDataOfficer: 'operator', securityOfficer: 'security' },
  { organizationCode: 'bjjtw', chiefDataOfficer: 'transport-admin', securityOfficer: 'transport-editor' },
  { organizationCode: 'bjwjw', chiefDataOfficer: 'health-admin', securityOfficer: 'health-admin' },
  { organizationCode: 'haidian', chiefDataOfficer: 'haidian-member', securityOfficer: 'haidian-member' },
];

// ---- The health commission's personal-data entry -------------------------------------------------

export const CLINIC_ORGANIZATION = 'bjwjw';
export const CLINIC_TITLE = '北京市居民就诊抽样（合成示例数据）';
export const CLINIC_ROWS = 2000;

type Item = [name: string, zh: string, en: string, type: InformationItem['type'], description: string];

const CLINIC_ITEMS: Item[] = [
  ['visit_id', '就诊编号', 'Visit number', 'string', '抽样记录编号（DEMO- 开头，示例数据）'],
  ['name', '姓名', 'Name', 'string', '就诊居民姓名（虚构）'],
  ['sex', '性别', 'Sex', 'string', '男、女'],
  ['age', '年龄', 'Age', 'integer', '就诊时周岁年龄'],
  ['id_number', '身份证号码', 'Resident identity number', 'string', '居民身份证号码（虚构，校验位正确）'],
  ['phone', '手机号码', 'Mobile number', 'string', '联系手机号码（虚构，中间四位为 0000）'],
  ['district', '所属区', 'District', 'string', '就诊机构所在行政区'],
  ['diagnosis', '诊断', 'Diagnosis', 'string', '门诊诊断名称及 ICD-10 编码'],
  ['visit_date', '就诊日期', 'Visit date', 'date', '门诊就诊日期'],
];

/** Personal information of each field, and its grade (personal at least level 3, sensitive level 4). */
const CLINIC_PERSONAL: Record<string, InformationItem['personalInfo']> = {
  name: 'personal',
  sex: 'personal',
  age: 'personal',
  id_number: 'sensitive',
  phone: 'personal',
  diagnosis: 'sensitive',
};

const PERSONAL_GRADE = { none: 'general-1', personal: 'general-3', sensitive: 'general-4' } as const;

/** The entry as the health commission drafts it: not opened, shared on conditions only. */
export function clinicVisitsEntry(org: { id: string; creditCode: string }): EntryMetadata {
  const informationItems: InformationItem[] = CLINIC_ITEMS.map(([name, zh, en, type, description]) => {
    const personalInfo = CLINIC_PERSONAL[name] ?? 'none';
    return { name, title: { zh, en }, type, description, personalInfo, grade: PERSONAL_GRADE[personalInfo] };
  });
  return {
    title: { zh: CLINIC_TITLE, en: 'Residents’ Clinic Visits Sample (synthetic demo data)' },
    summary: {
      zh: '门诊就诊记录抽样，含居民姓名、身份证号码、手机号码、年龄、性别、诊断和就诊日期，用于演示数据分类分级、敏感数据识别和去标识化。全部人员和号码均为虚构，不对应任何真实个人。',
      en: 'A sample of outpatient visits with residents’ names, identity numbers, mobile numbers, age, sex, diagnosis and visit date, to show data grading, sensitive-data discovery and de-identification. Every person and number is made up.',
    },
    organizationId: org.id,
    providerCreditCode: org.creditCode,
    classification: 'departmental',
    theme: 'health',
    keywords: ['就诊', '门诊', '个人信息', '示例数据'],
    formats: ['CSV'],
    informationItems,
    shareType: 'conditional',
    shareCondition:
      '仅向承担卫生健康监管和疾病防控职责的部门共享，须经市卫生健康委批准，按最小必要原则提供字段，原则上提供去标识化数据。',
    shareMethod: '库表交换',
    openType: 'not_open',
    updateCycle: 'quarterly',
    releaseDate: '2026-07-15',
    lastUpdate: '2026-10-10',
    relatedCodes: [],
    license: 'conditional-use-agreement',
    contactPoint: {
      name: '北京市卫生健康委员会信息中心',
      email: 'xxzx@wjw.beijing.gov.cn',
      phone: '010-83970521',
    },
    spatialCoverage: '北京市',
    temporalCoverage: { start: '2026-07-01', end: '2026-09-30' },
    grade: 'general-4',
    distributions: [],
  };
}

// ---- Synthetic rows --------------------------------------------------------------------------------

/** Beijing's districts and their administrative division codes (GB/T 2260). */
const DISTRICTS: readonly (readonly [name: string, code: string, weight: number])[] = [
  ['东城区', '110101', 7],
  ['西城区', '110102', 11],
  ['朝阳区', '110105', 34],
  ['丰台区', '110106', 20],
  ['石景山区', '110107', 6],
  ['海淀区', '110108', 31],
  ['门头沟区', '110109', 4],
  ['房山区', '110111', 13],
  ['通州区', '110112', 18],
  ['顺义区', '110113', 13],
  ['昌平区', '110114', 22],
  ['大兴区', '110115', 20],
  ['怀柔区', '110116', 4],
  ['平谷区', '110117', 5],
  ['密云区', '110118', 5],
  ['延庆区', '110119', 3],
];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红文辉建志宇浩欣怡子轩涵雪婷晨阳佳琳鑫博嘉瑞思雨晓立新春海波燕慧';

/** Outpatient diagnoses with ICD-10 codes, and the ages at which each is seen. */
const DIAGNOSES: readonly (readonly [text: string, minAge: number, maxAge: number, weight: number])[] = [
  ['急性上呼吸道感染 J06.9', 0, 99, 18],
  ['急性支气管炎 J20.9', 0, 99, 8],
  ['手足口病 B08.4', 0, 6, 3],
  ['小儿腹泻 A09', 0, 5, 3],
  ['过敏性鼻炎 J30.4', 4, 70, 6],
  ['支气管哮喘 J45.9', 3, 90, 4],
  ['龋齿 K02.9', 3, 90, 5],
  ['急性胃肠炎 K52.9', 2, 90, 7],
  ['慢性胃炎 K29.5', 18, 90, 6],
  ['腰椎间盘突出 M51.2', 25, 90, 5],
  ['原发性高血压 I10', 30, 99, 12],
  ['2型糖尿病 E11.9', 30, 99, 9],
  ['冠状动脉粥样硬化性心脏病 I25.1', 45, 99, 5],
  ['骨质疏松 M81.9', 50, 99, 3],
  ['结膜炎 H10.9', 0, 90, 3],
  ['皮炎 L30.9', 0, 90, 4],
];

/** Operator prefixes of mainland mobile numbers in use (three big operators and virtual ones). */
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '170',
  '171',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '196',
  '197',
  '198',
  '199',
];

/** ISO 7064 MOD 11-2 weights of the resident identity number (GB 11643-1999). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of a resident identity number. */
export function residentIdCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

function at<T>(values: readonly T[], index: number): T {
  const value = values[index];
  if (value === undefined) throw new Error(`demo security: no value at ${index}`);
  return value;
}

function pickChar(rng: Rng, chars: string): string {
  return [...chars][Math.floor(rng() * [...chars].length)] ?? '';
}

function weighted<T>(rng: Rng, values: readonly T[], weight: (value: T) => number): T {
  let total = 0;
  for (const v of values) total += weight(v);
  let r = rng() * total;
  for (const v of values) {
    r -= weight(v);
    if (r < 0) return v;
  }
  return at(values, values.length - 1);
}

const DAY_MS = 86_400_000;
/** The sample covers the third quarter of 2026: fixed, so the table does not depend on the clock. */
const FIRST_VISIT = Date.UTC(2026, 6, 1);
const VISIT_DAYS = 92;

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Whole years from birth to the visit. */
function ageAt(birth: Date, visit: Date): number {
  let age = visit.getUTCFullYear() - birth.getUTCFullYear();
  const before =
    visit.getUTCMonth() < birth.getUTCMonth() ||
    (visit.getUTCMonth() === birth.getUTCMonth() && visit.getUTCDate() < birth.getUTCDate());
  if (before) age -= 1;
  return age;
}

export interface ClinicVisit {
  visit_id: string;
  name: string;
  sex: '男' | '女';
  age: number;
  id_number: string;
  phone: string;
  district: string;
  diagnosis: string;
  visit_date: string;
}

/** The synthetic visits: the same rows on every start. */
export function clinicVisits(count = CLINIC_ROWS): ClinicVisit[] {
  const rng = mulberry32(0xda7a_2026 ^ hash('clinic-visits'));
  const ids = new Set<string>();
  const phones = new Set<string>();
  const rows: ClinicVisit[] = [];
  for (let i = 1; i <= count; i += 1) {
    const visit = new Date(FIRST_VISIT + Math.floor(rng() * VISIT_DAYS) * DAY_MS);
    // Outpatients: many children and older people, fewer young adults.
    const band = weighted(
      rng,
      [
        [0, 14, 18],
        [15, 34, 22],
        [35, 59, 30],
        [60, 89, 30],
      ] as const,
      (b) => b[2],
    );
    const years = band[0] + Math.floor(rng() * (band[1] - band[0] + 1));
    const birth = new Date(
      Date.UTC(visit.getUTCFullYear() - years - 1, visit.getUTCMonth(), visit.getUTCDate()) +
        (1 + Math.floor(rng() * 364)) * DAY_MS,
    );
    const age = ageAt(birth, visit);
    const sex = rng() < 0.52 ? '女' : '男';
    const district = weighted(rng, DISTRICTS, (d) => d[2]);
    // Where one was registered at birth need not be where one is treated.
    const birthplace = rng() < 0.7 ? district : weighted(rng, DISTRICTS, (d) => d[2]);
    let id = '';
    do {
      // The order code's last digit is odd for men, even for women.
      const order = Math.floor(rng() * 50) * 10 + Math.floor(rng() * 5) * 2 + (sex === '男' ? 1 : 0);
      const body = `${birthplace[1]}${isoDay(birth.getTime()).replaceAll('-', '')}${String(order).padStart(3, '0')}`;
      id = body + residentIdCheck(body);
    } while (ids.has(id));
    ids.add(id);
    let phone = '';
    do {
      phone = `${at(MOBILE_PREFIXES, Math.floor(rng() * MOBILE_PREFIXES.length))}0000${String(Math.floor(rng() * 10_000)).padStart(4, '0')}`;
    } while (phones.has(phone));
    phones.add(phone);
    const given = pickChar(rng, GIVEN) + (rng() < 0.7 ? pickChar(rng, GIVEN) : '');
    const diagnosis = weighted(
      rng,
      DIAGNOSES.filter((d) => age >= d[1] && age <= d[2]),
      (d) => d[3],
    );
    rows.push({
      visit_id: `DEMO-V${String(i).padStart(5, '0')}`,
      name: pickChar(rng, SURNAMES) + given,
      sex,
      age,
      id_number: id,
      phone,
      district: district[0],
      diagnosis: diagnosis[0],
      visit_date: isoDay(visit.getTime()),
    });
  }
  return rows;
}

/** The table as a CSV file with its schema: identity and mobile numbers stay text. */
export function clinicVisitsTable(): {
  name: string;
  description: string;
  filename: string;
  content: string;
  schema: TableSchema;
  primaryKey: string[];
} {
  const header = CLINIC_ITEMS.map((i) => i[0]);
  const lines = clinicVisits().map((row) =>
    header.map((field) => String(row[field as keyof ClinicVisit])).join(','),
  );
  return {
    name: '居民就诊抽样',
    description: '2026 年第三季度门诊就诊抽样，2,000 条合成记录；人员、证件号码和手机号码均为虚构。',
    filename: 'clinic-visits-sample.csv',
    content: `${[header.join(','), ...lines].join('\n')}\n`,
    schema: {
      fields: CLINIC_ITEMS.map(([name, zh, , type]) => ({
        name,
        title: zh,
        type: type === 'integer' || type === 'date' ? type : 'string',
      })),
    },
    primaryKey: ['visit_id'],
  };
}

// ---- Gradings (GB/T 43697-2024) ------------------------------------------------------------------

interface Assessment {
  impact: (typeof IMPACT_OBJECTS)[number];
  harm: (typeof HARMS)[number];
  rationale: string;
}
type FieldGrading = Assessment & { field: string };

/** The clinic sample's grading: drafted and proposed by the commission, confirmed by a security officer. */
export const CLINIC_GRADING: { fields: FieldGrading[]; dataset: Assessment } = {
  fields: [
    {
      field: 'visit_id',
      impact: 'individual-rights',
      harm: 'none',
      rationale: '抽样内部编号，脱离本表不指向任何人。',
    },
    {
      field: 'name',
      impact: 'individual-rights',
      harm: 'serious',
      rationale: '与诊断同表时，姓名可直接识别就诊人并暴露其病情。',
    },
    {
      field: 'sex',
      impact: 'individual-rights',
      harm: 'general',
      rationale: '单独不识别个人，与年龄、区组合构成准标识符。',
    },
    {
      field: 'age',
      impact: 'individual-rights',
      harm: 'general',
      rationale: '准标识符，与性别、区、就诊日期组合可缩小识别范围。',
    },
    {
      field: 'id_number',
      impact: 'individual-rights',
      harm: 'especially-serious',
      rationale: '身份证号码为敏感个人信息（个人信息保护法第二十八条），泄露可致冒用身份和财产损失。',
    },
    {
      field: 'phone',
      impact: 'individual-rights',
      harm: 'serious',
      rationale: '可直接联系本人，泄露后易被用于针对患者的诈骗和骚扰。',
    },
    {
      field: 'district',
      impact: 'individual-rights',
      harm: 'none',
      rationale: '区级地理范围，单独不识别个人。',
    },
    {
      field: 'diagnosis',
      impact: 'individual-rights',
      harm: 'especially-serious',
      rationale: '医疗健康信息为敏感个人信息，与身份关联后泄露可致歧视和人格尊严受损。',
    },
    {
      field: 'visit_date',
      impact: 'individual-rights',
      harm: 'general',
      rationale: '准标识符，与其他字段组合可推断行踪。',
    },
  ],
  dataset: {
    impact: 'public-interest',
    harm: 'general',
    rationale: '成批居民健康信息泄露会损害公众对医疗机构的信任，影响公共利益，整体定为一般数据 4 级。',
  },
};

/** A grading left proposed on a transport entry, so that the dashboard has work waiting. */
export const PROPOSED_GRADING = {
  organizationCode: 'bjjtw',
  entryTitle: '北京市出租汽车驾驶员从业资格信息',
  grader: 'transport-editor',
  fields: [
    {
      field: 'driver_name',
      impact: 'individual-rights',
      harm: 'serious',
      rationale: '与资格证号和身份证号同表，可直接识别驾驶员。',
    },
    {
      field: 'id_number',
      impact: 'individual-rights',
      harm: 'especially-serious',
      rationale: '身份证号码为敏感个人信息，泄露可致身份冒用。',
    },
    {
      field: 'qualification_no',
      impact: 'individual-rights',
      harm: 'general',
      rationale: '从业资格证号与个人一一对应，但可在监管平台公开查询核验。',
    },
    {
      field: 'qualification_type',
      impact: 'individual-rights',
      harm: 'none',
      rationale: '资格类别为公开分类。',
    },
    {
      field: 'company_name',
      impact: 'organisational-rights',
      harm: 'none',
      rationale: '所属企业名称为公开登记信息。',
    },
    {
      field: 'issue_date',
      impact: 'individual-rights',
      harm: 'none',
      rationale: '发证日期单独不识别个人。',
    },
    {
      field: 'valid_until',
      impact: 'individual-rights',
      harm: 'none',
      rationale: '有效期单独不识别个人。',
    },
  ] satisfies FieldGrading[],
};

// ---- Incidents (Art. 48 ¶2) and a cross-border transfer (Art. 48) -----------------------------------

const HOUR_MS = 3_600_000;

/** A leak at the district two hours ago: relatively major, its report due within four hours. */
export function openIncident(now: Date) {
  return {
    organizationCode: 'haidian',
    input: {
      kind: 'leak' as const,
      title: '街道工作人员误将居民走访登记表发送至外部群聊',
      description:
        '某街道工作人员在整理入户走访记录时，将含居民姓名、手机号码和住址的登记表误发至一个有外部人员的工作群，约 40 分钟后撤回。已确认至少 3 名群外人员下载。（示例事件）',
      peopleAffected: 3200,
      cii: false,
      severity: 'relatively-major' as const,
      detectedAt: new Date(now.getTime() - 2 * HOUR_MS).toISOString(),
      remediation: '已撤回文件并要求群成员删除；正在核对下载人员并评估影响范围。',
      notice: {
        informationTypes: '姓名、手机号码、住址',
        cause: '工作人员误发文件',
      },
    },
  };
}

/** An older incident of the transport commission: reported within the deadline, then resolved. */
export function resolvedIncident(now: Date) {
  const detected = new Date(now.getTime() - 45 * 24 * HOUR_MS);
  return {
    organizationCode: 'bjjtw',
    entryTitle: '北京市出租汽车驾驶员从业资格信息',
    input: {
      kind: 'leak' as const,
      title: '驾驶员从业资格查询接口越权访问',
      description:
        '监测发现一个合作方账号在 2 小时内通过查询接口批量读取驾驶员从业资格信息，超出协议约定范围。（示例事件）',
      peopleAffected: 12000,
      cii: false,
      severity: 'relatively-major' as const,
      detectedAt: detected.toISOString(),
      remediation:
        '已停用该账号并轮换接口密钥；接口增加按调用方限流和字段级授权；合作方已书面确认删除所读数据。',
      notice: {
        informationTypes: '驾驶员姓名、身份证号码、从业资格证号',
        cause: '合作方账号超出授权范围调用查询接口',
        possibleHarm: '身份证号码可能被用于冒用身份',
        remedies: '停用账号、轮换密钥、增加限流和字段级授权',
        advice: '留意以本人名义办理业务的异常通知，如有疑问联系下列电话',
        contact: '北京市交通委员会信息中心 010-57079316',
      },
    },
    report: {
      reportedAt: new Date(detected.getTime() + 3 * HOUR_MS).toISOString(),
      reference: 'DEMO-京网安报-0417',
    },
  };
}

/** The health commission asks to send the clinic sample abroad for a joint study. */
export const DEMO_TRANSFER = {
  organizationCode: CLINIC_ORGANIZATION,
  requester: 'health-admin',
  recipient: 'Example Medical Research Institute（示例医学研究所）',
  country: 'SG',
  purpose:
    '多中心门诊疾病负担联合研究：对方按约定的分析方案统计分病种、分年龄段就诊构成，结果仅以汇总形式发表。',
  peopleCount: CLINIC_ROWS,
  sensitivePeopleCount: CLINIC_ROWS,
  assessment:
    '个人信息保护影响评估（个人信息保护法第五十五条、第五十六条）：出境目的为联合研究，数据限于 2,000 名就诊居民的抽样；出境前删除姓名、手机号码，身份证号码替换为不可逆假名，年龄按 5 岁分段；接收方承诺不开展重新识别、不向第三方提供，研究结束后 30 日内删除；残余风险评估为低。（示例评估）',
};
