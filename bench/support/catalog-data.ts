// Generated catalog entries for the catalog benchmark: deterministic (entry i is always the same entry for
// the same organisations), Chinese titles and summaries with English translations for most, themes from the
// code lists, every open and share type, grades, formats and licences, spread over the demo organisations.
import {
  type Distribution,
  derivedGrade,
  type EntryMetadata,
  type FieldType,
  type Grade,
  type InformationItem,
  type OpenType,
  type PersonalInfo,
  type ResourceClassification,
  type ShareType,
  type UpdateCycle,
} from '../../packages/server/src/modules/catalog/catalog.model.ts';
import { seededRandom } from './entries.ts';

export interface CatalogOrg {
  id: string;
  code: string;
  name: string;
  nameEn?: string;
  creditCode: string;
}

/** One subject a resource is about: Chinese and English names and its own keywords. */
interface Subject {
  zh: string;
  en: string;
  keywords: string[];
}

function subjects(list: readonly (readonly [string, string, string])[]): Subject[] {
  return list.map(([zh, en, keywords]) => ({ zh, en, keywords: keywords.split(' ') }));
}

/**
 * Subjects by theme (codes of catalog.codelists.ts THEMES). 公交 (bus) occurs in two transport subjects
 * only, so that the Chinese query 公交 matches about 1 % of entries and "bus station" about 0.3 %.
 */
const SUBJECTS: Record<string, Subject[]> = {
  transport: subjects([
    ['公交线路', 'Bus routes', '公交 线路 bus'],
    ['公交场站', 'Bus stations and depots', '公交 场站 bus station'],
    ['轨道交通车站', 'Rail transit stations', '地铁 车站 metro'],
    ['轨道交通客流', 'Rail transit ridership', '地铁 客流 ridership'],
    ['公共停车场', 'Public car parks', '停车 泊位 parking'],
    ['道路交通拥堵指数', 'Road congestion index', '拥堵 路况 traffic'],
    ['出租汽车运营', 'Taxi operations', '出租车 营运 taxi'],
    ['网约车平台合规', 'Ride-hailing platform compliance', '网约车 合规 ride-hailing'],
    ['共享单车停放区', 'Shared bicycle parking zones', '单车 停放 bicycle'],
    ['电动汽车充电站', 'Electric vehicle charging stations', '充电 新能源 charging'],
    ['长途客运班线', 'Long-distance coach lines', '客运 班线 coach'],
    ['城市桥梁', 'City bridges', '桥梁 养护 bridge'],
    ['道路施工占道', 'Roadworks and lane closures', '施工 占道 roadworks'],
    ['机动车驾驶培训机构', 'Driving schools', '驾培 驾校 driving'],
    ['机动车维修企业', 'Vehicle repair shops', '维修 汽修 repair'],
    ['小客车指标配置', 'Passenger car quota allocation', '指标 摇号 quota'],
  ]),
  health: subjects([
    ['医疗机构', 'Medical institutions', '医院 诊所 hospital'],
    ['社区卫生服务中心', 'Community health centres', '社区 卫生 clinic'],
    ['执业医师', 'Licensed physicians', '医师 执业 physician'],
    ['疫苗接种点', 'Vaccination sites', '疫苗 接种 vaccination'],
    ['传染病报告', 'Infectious disease reports', '传染病 疫情 disease'],
    ['急救站点', 'Emergency medical stations', '急救 120 emergency'],
    ['药品零售企业', 'Retail pharmacies', '药店 药品 pharmacy'],
  ]),
  environment: subjects([
    ['空气质量监测', 'Air quality monitoring', '空气 PM2.5 air'],
    ['地表水水质', 'Surface water quality', '水质 河流 water'],
    ['噪声监测点位', 'Noise monitoring points', '噪声 监测 noise'],
    ['重点排污单位', 'Major polluting units', '排污 企业 emissions'],
    ['建设项目环评审批', 'Environmental impact approvals', '环评 审批 assessment'],
    ['生活垃圾处理设施', 'Household waste facilities', '垃圾 分类 waste'],
  ]),
  weather: subjects([
    ['气象观测', 'Weather observations', '气温 降水 weather'],
    ['气象预警信号', 'Weather warnings', '预警 暴雨 warning'],
    ['雷电灾害', 'Lightning incidents', '雷电 灾害 lightning'],
  ]),
  education: subjects([
    ['中小学校', 'Primary and secondary schools', '学校 招生 school'],
    ['幼儿园', 'Kindergartens', '幼儿园 学前 kindergarten'],
    ['高等学校', 'Universities and colleges', '高校 大学 university'],
    ['校外培训机构', 'Tutoring centres', '培训 校外 tutoring'],
    ['科技企业孵化器', 'Technology incubators', '孵化器 科技 incubator'],
  ]),
  culture: subjects([
    ['博物馆', 'Museums', '博物馆 展览 museum'],
    ['公共图书馆', 'Public libraries', '图书馆 借阅 library'],
    ['文物保护单位', 'Protected heritage sites', '文物 保护 heritage'],
    ['体育场馆', 'Sports venues', '体育 场馆 sports'],
    ['公园景区', 'Parks and scenic areas', '公园 景区 park'],
    ['演出场所', 'Performance venues', '演出 剧场 theatre'],
  ]),
  housing: subjects([
    ['保障性住房项目', 'Affordable housing projects', '保障房 住房 housing'],
    ['建设工程规划许可', 'Building planning permits', '规划 许可 permit'],
    ['老旧小区改造', 'Old neighbourhood renovation', '改造 小区 renovation'],
    ['房屋租赁登记', 'Rental registrations', '租赁 房屋 rental'],
    ['物业服务企业', 'Property management companies', '物业 服务 property'],
  ]),
  'social-security': subjects([
    ['养老机构', 'Elderly care homes', '养老 机构 eldercare'],
    ['社会保险经办网点', 'Social insurance offices', '社保 网点 insurance'],
    ['最低生活保障', 'Minimum living allowance', '低保 救助 allowance'],
    ['残疾人服务机构', 'Disability service providers', '残疾人 服务 disability'],
  ]),
  employment: subjects([
    ['职业技能培训', 'Vocational training', '技能 培训 vocational'],
    ['招聘岗位', 'Job vacancies', '招聘 岗位 jobs'],
    ['人力资源服务机构', 'Recruitment agencies', '人力资源 中介 recruitment'],
    ['劳动保障监察', 'Labour inspections', '劳动 监察 labour'],
  ]),
  agriculture: subjects([
    ['农产品批发市场', 'Farm produce wholesale markets', '农产品 批发 produce'],
    ['农民专业合作社', 'Farmer cooperatives', '合作社 农民 cooperative'],
    ['耕地保护', 'Farmland protection', '耕地 保护 farmland'],
    ['休闲农业园区', 'Leisure farms', '休闲 农业 farm'],
  ]),
  'public-safety': subjects([
    ['消防救援站', 'Fire and rescue stations', '消防 救援 fire'],
    ['应急避难场所', 'Emergency shelters', '应急 避难 shelter'],
    ['安全生产检查', 'Workplace safety inspections', '安全生产 检查 safety'],
    ['危险化学品企业', 'Hazardous chemical companies', '危化品 企业 chemicals'],
  ]),
  institutions: subjects([
    ['社会组织登记', 'Registered social organisations', '社会组织 登记 ngo'],
    ['事业单位', 'Public service units', '事业单位 机构 agency'],
    ['基层群众自治组织', 'Residents and village committees', '居委会 村委会 committee'],
  ]),
  geospatial: subjects([
    ['行政区划', 'Administrative divisions', '区划 边界 boundaries'],
    ['地名地址', 'Place names and addresses', '地名 地址 address'],
    ['土地利用现状', 'Land use', '土地 利用 landuse'],
    ['测绘成果目录', 'Surveying results', '测绘 地图 survey'],
  ]),
  'life-services': subjects([
    ['便民服务网点', 'Neighbourhood service points', '便民 网点 services'],
    ['菜市场', 'Food markets', '菜市场 生鲜 market'],
    ['水电气缴费网点', 'Utility payment points', '缴费 水电 utilities'],
    ['公共厕所', 'Public toilets', '公厕 厕所 toilets'],
    ['邮政网点', 'Post offices', '邮政 快递 post'],
  ]),
  enterprise: subjects([
    ['企业登记注册', 'Company registrations', '企业 登记 company'],
    ['高新技术企业', 'High-tech enterprises', '高新 企业 hightech'],
    ['专精特新企业', 'Specialised small and medium enterprises', '专精特新 中小企业 sme'],
    ['招商引资项目', 'Investment promotion projects', '招商 投资 investment'],
  ]),
  'market-regulation': subjects([
    ['行政处罚', 'Administrative penalties', '处罚 执法 penalty'],
    ['食品经营许可', 'Food operation licences', '食品 许可 food'],
    ['产品质量抽查', 'Product quality spot checks', '抽查 质量 quality'],
    ['计量器具检定', 'Measuring instrument verification', '计量 检定 metrology'],
    ['特种设备', 'Special equipment', '电梯 锅炉 equipment'],
  ]),
  credit: subjects([
    ['信用承诺', 'Credit commitments', '信用 承诺 credit'],
    ['守信激励名单', 'Trustworthiness incentive list', '守信 红名单 trust'],
    ['失信惩戒对象', 'Dishonest entities', '失信 惩戒 blacklist'],
  ]),
  finance: subjects([
    ['财政预算', 'Fiscal budget', '预算 财政 budget'],
    ['政府采购', 'Government procurement', '采购 招标 procurement'],
    ['税收收入', 'Tax revenue', '税收 收入 tax'],
    ['地方金融组织', 'Local financial organisations', '金融 小额贷款 finance'],
  ]),
  economy: subjects([
    ['地区生产总值', 'Gross regional product', '生产总值 GDP gdp'],
    ['固定资产投资', 'Fixed asset investment', '投资 固定资产 investment'],
    ['社会消费品零售总额', 'Retail sales of consumer goods', '消费 零售 retail'],
    ['居民消费价格指数', 'Consumer price index', '物价 CPI prices'],
  ]),
  government: subjects([
    ['政务服务事项', 'Government service items', '政务服务 事项 services'],
    ['12345热线诉求', '12345 hotline requests', '12345 热线 hotline'],
    ['政府信息公开', 'Government information disclosure', '公开 政府 disclosure'],
    ['政务服务中心', 'Government service centres', '大厅 窗口 centre'],
  ]),
};

/** Transport is the largest theme of a city catalog; the others weigh the same. */
const THEME_WEIGHTS: Record<string, number> = { transport: 1.25 };

const THEME_OWNER: Record<string, string> = {
  transport: 'bjjtw',
  health: 'bjwjw',
  environment: 'bjsthjj',
  weather: 'bjsthjj',
  education: 'bjjw',
  housing: 'bjghzrzyw',
  geospatial: 'bjghzrzyw',
  enterprise: 'bjscjgj',
  'market-regulation': 'bjscjgj',
  credit: 'bjscjgj',
};

interface Scope {
  zh: string;
  en: string;
  keyword?: string;
}

const DISTRICTS: Scope[] = [
  ['东城区', 'Dongcheng'],
  ['西城区', 'Xicheng'],
  ['朝阳区', 'Chaoyang'],
  ['海淀区', 'Haidian'],
  ['丰台区', 'Fengtai'],
  ['石景山区', 'Shijingshan'],
  ['通州区', 'Tongzhou'],
  ['昌平区', 'Changping'],
  ['大兴区', 'Daxing'],
  ['顺义区', 'Shunyi'],
  ['房山区', 'Fangshan'],
  ['门头沟区', 'Mentougou'],
  ['怀柔区', 'Huairou'],
  ['平谷区', 'Pinggu'],
  ['密云区', 'Miyun'],
  ['延庆区', 'Yanqing'],
].map(([zh, en]) => ({ zh: zh!, en: `${en} District`, keyword: zh! }));

/** Title endings: Chinese, English (appended to the subject), weight. 信息 ends about a third. */
const SUFFIXES: readonly (readonly [string, string, number])[] = [
  ['信息', '', 35],
  ['数据', ' data', 20],
  ['统计', ' statistics', 10],
  ['名录', ' directory', 10],
  ['清单', ' list', 10],
  ['分布', ' locations', 5],
  ['目录', ' register', 5],
  ['情况', ' overview', 5],
];

const EXTRA_KEYWORDS = [
  '统计',
  '监测',
  '许可',
  '名录',
  '公共服务',
  '民生',
  '城市管理',
  '空间数据',
  '年度',
  '月度',
  '实时',
  '开放数据',
  '便民',
  '监管',
  '审批',
  '地理位置',
  'statistics',
  'open data',
  'monitoring',
  'register',
  'annual',
  'realtime',
  'geodata',
  'licensing',
];

type FieldDef = readonly [
  name: string,
  zh: string,
  en: string,
  type: FieldType,
  personal?: PersonalInfo,
  grade?: Grade,
];

const COMMON_FIELDS: FieldDef[] = [
  ['district', '所属区', 'District', 'string'],
  ['street', '街道（乡镇）', 'Subdistrict', 'string'],
  ['address', '地址', 'Address', 'string'],
  ['longitude', '经度', 'Longitude', 'number'],
  ['latitude', '纬度', 'Latitude', 'number'],
  ['update_time', '更新时间', 'Updated', 'datetime'],
  ['stat_year', '统计年度', 'Year', 'year'],
  ['stat_month', '统计月份', 'Month', 'string'],
  ['category', '类别', 'Category', 'string'],
  ['status', '状态', 'Status', 'string'],
  ['org_name', '机构名称', 'Organisation', 'string'],
  ['credit_code', '统一社会信用代码', 'Credit code', 'string'],
  ['service_phone', '服务电话', 'Service phone', 'string'],
  ['opening_hours', '开放时间', 'Opening hours', 'string'],
  ['remarks', '备注', 'Remarks', 'string'],
];

/** Personal information: in about one entry in seven, which then cannot be opened unconditionally. */
const PERSONAL_FIELDS: FieldDef[] = [
  ['contact_name', '联系人', 'Contact person', 'string', 'personal', 'general-2'],
  ['contact_phone', '联系电话', 'Contact phone', 'string', 'personal', 'general-3'],
  ['id_number', '身份证号码', 'ID number', 'string', 'sensitive', 'general-4'],
];

/** A few fields of each subject, named after it: item and value, with the subject's name in the title. */
function subjectFields(subject: Subject, index: number): FieldDef[] {
  const slug = `s${index}`;
  return [
    [`${slug}_id`, `${subject.zh}编号`, `${subject.en} ID`, 'string'],
    [`${slug}_name`, `${subject.zh}名称`, `${subject.en} name`, 'string'],
    [`${slug}_count`, `${subject.zh}数量`, `${subject.en} count`, 'integer'],
    [`${slug}_value`, '指标值', 'Value', 'number'],
  ];
}

const CYCLES: readonly (readonly [UpdateCycle, string, number])[] = [
  ['realtime', '实时', 5],
  ['daily', '每日', 15],
  ['weekly', '每周', 10],
  ['monthly', '每月', 25],
  ['quarterly', '每季度', 15],
  ['yearly', '每年', 20],
  ['irregular', '不定期', 10],
];

const OPEN_TYPES: readonly (readonly [OpenType, number])[] = [
  ['unconditional', 55],
  ['conditional', 30],
  ['not_open', 15],
];
const SHARE_TYPES: readonly (readonly [ShareType, number])[] = [
  ['unconditional', 50],
  ['conditional', 35],
  ['not_shared', 15],
];
const GRADES: readonly (readonly [Grade, number])[] = [
  ['general-1', 40],
  ['general-2', 30],
  ['general-3', 15],
  ['general-4', 8],
  ['important', 5],
  ['core', 2],
];
const CLASSES: readonly (readonly [ResourceClassification, number])[] = [
  ['base', 15],
  ['thematic', 35],
  ['departmental', 50],
];
const FORMAT_CODES = ['CSV', 'XLSX', 'JSON', 'GeoJSON', 'XML', 'API', 'PDF', 'SHP', 'ZIP', 'RDF'] as const;
const FORMAT_WEIGHTS = [30, 20, 15, 8, 6, 12, 4, 2, 2, 1];
const MEDIA: Record<string, string> = {
  CSV: 'text/csv',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  JSON: 'application/json',
  GeoJSON: 'application/geo+json',
  XML: 'application/xml',
  API: 'application/json',
  PDF: 'application/pdf',
  SHP: 'application/zip',
  ZIP: 'application/zip',
  RDF: 'application/rdf+xml',
};
const OPEN_LICENSES = ['beijing-open-data-1.0', 'CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0'];

const THEME_LIST = Object.keys(SUBJECTS);

/** How many themes and subjects the titles are built from (for the report). */
export const CATALOG_VOCABULARY = {
  themes: THEME_LIST.length,
  subjects: Object.values(SUBJECTS).reduce((n, list) => n + list.length, 0),
};
const THEME_CUMULATIVE = (() => {
  let sum = 0;
  return THEME_LIST.map((t) => {
    sum += THEME_WEIGHTS[t] ?? 1;
    return sum;
  });
})();

type Rng = () => number;

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

function weighted<T>(rng: Rng, values: readonly (readonly [T, ...unknown[]])[], weightAt: number): T {
  const total = values.reduce((s, v) => s + (v[weightAt] as number), 0);
  let x = rng() * total;
  for (const v of values) {
    x -= v[weightAt] as number;
    if (x < 0) return v[0];
  }
  return values[values.length - 1]![0];
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

const REFERENCE = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;

/** What the loader stores beside the metadata. */
export interface GeneratedEntry {
  metadata: EntryMetadata;
  publishedAt: Date;
  usageCount: number;
  qualityScore: number;
}

/**
 * The catalog generator: `entry(i)` is the i-th entry (0-based), the same for the same organisations
 * whatever else was generated. Codes are unique (the sequence is i + 1).
 */
export function catalogGenerator(orgs: readonly CatalogOrg[]) {
  const byCode = new Map(orgs.map((o) => [o.code, o]));
  const institutions = orgs.filter((o) => o.code !== 'demo-tech');
  const haidian = byCode.get('haidian');
  const company = byCode.get('demo-tech');
  const found = byCode.get('bjbdc') ?? orgs[0];
  if (found === undefined) throw new Error('no organisations to generate entries for');
  const central: CatalogOrg = found;

  function owner(rng: Rng, theme: string, district: Scope | undefined): CatalogOrg {
    const x = rng();
    if (company !== undefined && x < 0.03) return company;
    if (haidian !== undefined && (x < 0.12 || district?.zh === '海淀区')) return haidian;
    const own = THEME_OWNER[theme];
    if (own !== undefined && x < 0.85) return byCode.get(own) ?? central;
    return x < 0.95 ? central : pick(rng, institutions);
  }

  function entry(i: number): GeneratedEntry {
    const rng = seededRandom(Math.imul(i + 1, 0x9e3779b1) ^ 0x2026c47a);
    const themeRoll = rng() * THEME_CUMULATIVE.at(-1)!;
    const themeIndex = THEME_CUMULATIVE.findIndex((c) => themeRoll < c);
    const theme = THEME_LIST[themeIndex]!;
    const themeSubjects = SUBJECTS[theme]!;
    const subjectIndex = Math.floor(rng() * themeSubjects.length);
    const subject = themeSubjects[subjectIndex]!;
    const suffix = weighted(
      rng,
      SUFFIXES.map((s, k) => [k, s[2]] as const),
      1,
    );
    const [suffixZh, suffixEn] = SUFFIXES[suffix]!;
    const scopeRoll = rng();
    const district = scopeRoll < 0.45 ? pick(rng, DISTRICTS) : undefined;
    const cityWide = scopeRoll >= 0.45 && scopeRoll < 0.55;
    const year = rng() < 0.3 ? 2015 + Math.floor(rng() * 11) : undefined;
    const org = owner(rng, theme, district);

    const scopeZh = `${year === undefined ? '' : `${year}年`}${district?.zh ?? (cityWide ? '全市' : '')}`;
    const titleZh = `${scopeZh}${subject.zh}${suffixZh}`;
    const hasEn = rng() < 0.75;
    const scopeEn = [district?.en ?? (cityWide ? 'citywide' : undefined), year?.toString()].filter(
      (s) => s !== undefined,
    );
    const titleEn = `${subject.en}${suffixEn}${scopeEn.length > 0 ? `, ${scopeEn.join(', ')}` : ''}`;

    const cycle = weighted(rng, CYCLES, 2);
    const cycleZh = CYCLES.find((c) => c[0] === cycle)![1];
    const drawnOpenType = weighted(rng, OPEN_TYPES, 1);
    const shareType = weighted(rng, SHARE_TYPES, 1);
    const declaredGrade = weighted(rng, GRADES, 1);
    const classification = weighted(rng, CLASSES, 1);

    const own = subjectFields(subject, THEME_LIST.indexOf(theme) * 100 + subjectIndex);
    const fieldDefs: FieldDef[] = [...own.slice(0, 2 + Math.floor(rng() * 3))];
    const commonCount = 2 + Math.floor(rng() * 5);
    const start = Math.floor(rng() * COMMON_FIELDS.length);
    for (let k = 0; k < commonCount; k++)
      fieldDefs.push(COMMON_FIELDS[(start + k * 5) % COMMON_FIELDS.length]!);
    if (rng() < 0.15) fieldDefs.push(pick(rng, PERSONAL_FIELDS));
    const seenNames = new Set<string>();
    const items: InformationItem[] = [];
    for (const [name, zh, en, type, personal, grade] of fieldDefs) {
      if (seenNames.has(name)) continue;
      seenNames.add(name);
      items.push({
        name,
        title: hasEn ? { zh, en } : { zh },
        type,
        grade: grade ?? 'general-1',
        personalInfo: personal ?? 'none',
      });
    }
    // The opening rules of the profile: core data is not opened, important and personal data not unconditionally.
    const grade = derivedGrade(declaredGrade, items);
    const personal = items.some((f) => f.personalInfo !== 'none');
    const openType: OpenType =
      grade === 'core'
        ? 'not_open'
        : drawnOpenType === 'unconditional' && (grade === 'important' || personal)
          ? 'conditional'
          : drawnOpenType;
    const fieldList = items
      .slice(0, 4)
      .map((f) => f.title?.zh ?? f.name)
      .join('、');

    const template = Math.floor(rng() * 3);
    const summaryZh =
      template === 0
        ? `本数据集提供${scopeZh}${subject.zh}相关信息，包括${fieldList}等字段，${cycleZh}更新。`
        : template === 1
          ? `${org.name}发布的${scopeZh}${subject.zh}${suffixZh}，来源于业务系统，${cycleZh}汇总，包括${fieldList}等。`
          : `收录${scopeZh}${subject.zh}的基本信息和统计指标，可用于分析和查询。`;
    const summaryEn = `${subject.en} ${district === undefined ? 'across the city' : `in ${district.en}`}${year === undefined ? '' : ` for ${year}`}: ${items
      .slice(0, 4)
      .map((f) => f.title?.en ?? f.name)
      .join(', ')
      .toLowerCase()}.`;

    const keywords = [...subject.keywords];
    if (district?.keyword !== undefined) keywords.push(district.keyword);
    const extra = 1 + Math.floor(rng() * 2);
    for (let k = 0; k < extra; k++) keywords.push(pick(rng, EXTRA_KEYWORDS));

    const formatCount = 1 + Math.floor(rng() * 3);
    const formats: string[] = [];
    for (let k = 0; k < formatCount; k++) {
      const f = weighted(
        rng,
        FORMAT_CODES.map((c, j) => [c, FORMAT_WEIGHTS[j]!] as const),
        1,
      );
      if (!formats.includes(f)) formats.push(f);
    }

    const seq = i + 1;
    const code = `${classification === 'base' ? 1 : classification === 'thematic' ? 2 : 3}-${String(themeIndex + 1).padStart(2, '0')}-${String((subjectIndex % 999) + 1).padStart(3, '0')}-${String((seq % 997) + 1).padStart(3, '0')}-${String(seq).padStart(6, '0')}`;
    const distributions: Distribution[] = formats.map((format, k) => ({
      id: `d${k + 1}`,
      kind: format === 'API' ? 'api' : 'file',
      title: { zh: `${titleZh}（${format}）` },
      format,
      url: `https://data.example.gov.cn/${org.code}/${code}/${k + 1}.${format.toLowerCase()}`,
      mediaType: MEDIA[format]!,
      ...(format === 'API' ? {} : { byteSize: 1000 + Math.floor(rng() * 5_000_000) }),
    }));

    const publishedAt = REFERENCE - Math.floor(rng() * 3 * 365) * DAY - Math.floor(rng() * DAY);
    const released = publishedAt - Math.floor(rng() * 400) * DAY;
    const lastUpdate = Math.min(REFERENCE, publishedAt + Math.floor(rng() * 200) * DAY);
    const license =
      openType === 'unconditional'
        ? pick(rng, OPEN_LICENSES)
        : openType === 'conditional'
          ? 'conditional-use-agreement'
          : undefined;

    const metadata: EntryMetadata = {
      code,
      title: hasEn ? { zh: titleZh, en: titleEn } : { zh: titleZh },
      summary: hasEn ? { zh: summaryZh, en: summaryEn } : { zh: summaryZh },
      organizationId: org.id,
      providerCreditCode: org.creditCode,
      classification,
      theme,
      keywords: [...new Set(keywords)],
      formats,
      informationItems: items,
      shareType,
      ...(shareType === 'conditional'
        ? { shareCondition: '经数据主管部门审核同意后共享，限于履行法定职责使用。' }
        : {}),
      shareMethod: formats.includes('API') ? '接口调用' : '文件下载',
      openType,
      ...(openType === 'conditional' ? { openCondition: '申请人签署数据使用协议，并说明使用场景。' } : {}),
      updateCycle: cycle,
      releaseDate: isoDay(released),
      lastUpdate: isoDay(lastUpdate),
      relatedCodes: [],
      ...(license === undefined ? {} : { license }),
      contactPoint: { name: '数据管理科', email: `data@${org.code}.example.gov.cn` },
      spatialCoverage: district?.zh ?? '北京市',
      ...(year === undefined ? {} : { temporalCoverage: { start: `${year}-01-01`, end: `${year}-12-31` } }),
      grade,
      distributions,
    };
    return {
      metadata,
      publishedAt: new Date(publishedAt),
      usageCount: Math.floor(Math.exp(rng() * 9)) - 1,
      qualityScore: 55 + Math.floor(rng() * 45),
    };
  }

  return { entry };
}
