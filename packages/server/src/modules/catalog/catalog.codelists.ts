import type { LocalizedText } from './catalog.model.ts';

/** One value of a controlled vocabulary, with its label in the three languages of the web app. */
export interface CodeListItem {
  code: string;
  label: Required<LocalizedText>;
}

function item(code: string, zh: string, en: string, fr: string): CodeListItem {
  return { code, label: { zh, en, fr } };
}

/** Themes of the municipal open data portal. */
export const THEMES: CodeListItem[] = [
  item('economy', '经济建设', 'Economy', 'Économie'),
  item('credit', '信用服务', 'Credit', 'Crédit'),
  item('finance', '财税金融', 'Finance and tax', 'Finances et fiscalité'),
  item('transport', '交通服务', 'Transport', 'Transports'),
  item('health', '医疗卫生', 'Health', 'Santé'),
  item('education', '教育科技', 'Education and science', 'Éducation et sciences'),
  item('culture', '文化休闲', 'Culture and leisure', 'Culture et loisirs'),
  item('environment', '生态环境', 'Environment', 'Environnement'),
  item('housing', '城建住房', 'Urban development and housing', 'Urbanisme et logement'),
  item('social-security', '社会保障', 'Social security', 'Sécurité sociale'),
  item('employment', '劳动就业', 'Employment', 'Emploi'),
  item('agriculture', '农业农村', 'Agriculture and rural affairs', 'Agriculture et monde rural'),
  item('public-safety', '公共安全', 'Public safety', 'Sécurité publique'),
  item('institutions', '机构团体', 'Institutions and associations', 'Institutions et associations'),
  item('geospatial', '地理空间', 'Geospatial', 'Géographie'),
  item('life-services', '生活服务', 'Daily life services', 'Services de la vie quotidienne'),
  item('enterprise', '企业服务', 'Business services', 'Services aux entreprises'),
  item('market-regulation', '市场监管', 'Market regulation', 'Régulation du marché'),
  item('weather', '气象服务', 'Weather', 'Météorologie'),
  item('government', '政务服务', 'Government services', 'Services administratifs'),
];

export const FORMATS: CodeListItem[] = [
  item('CSV', 'CSV', 'CSV', 'CSV'),
  item('XLSX', 'Excel (XLSX)', 'Excel (XLSX)', 'Excel (XLSX)'),
  item('JSON', 'JSON', 'JSON', 'JSON'),
  item('GeoJSON', 'GeoJSON', 'GeoJSON', 'GeoJSON'),
  item('XML', 'XML', 'XML', 'XML'),
  item('API', '接口 (API)', 'API', 'API'),
  item('PDF', 'PDF', 'PDF', 'PDF'),
  item('SHP', 'Shapefile', 'Shapefile', 'Shapefile'),
  item('ZIP', 'ZIP', 'ZIP', 'ZIP'),
  item('RDF', 'RDF', 'RDF', 'RDF'),
];

export const LICENSES: CodeListItem[] = [
  item(
    'beijing-open-data-1.0',
    '北京市公共数据开放许可协议',
    'Beijing Public Data Open Licence',
    'Licence de données ouvertes de Pékin',
  ),
  item(
    'CC-BY-4.0',
    '知识共享署名 4.0',
    'Creative Commons Attribution 4.0',
    'Creative Commons Attribution 4.0',
  ),
  item('CC0-1.0', 'CC0 公共领域贡献', 'CC0 1.0 Public Domain Dedication', 'CC0 1.0 domaine public'),
  item(
    'ODC-BY-1.0',
    '开放数据共享署名许可',
    'Open Data Commons Attribution',
    'Open Data Commons Attribution',
  ),
  item(
    'conditional-use-agreement',
    '有条件使用协议',
    'Conditional use agreement',
    "Accord d'utilisation conditionnelle",
  ),
];

export const CLASSIFICATIONS: CodeListItem[] = [
  item('base', '基础信息资源', 'Base resource', 'Ressource de base'),
  item('thematic', '主题信息资源', 'Thematic resource', 'Ressource thématique'),
  item('departmental', '部门信息资源', 'Departmental resource', 'Ressource sectorielle'),
];

export const SHARE_TYPE_LABELS: CodeListItem[] = [
  item('unconditional', '无条件共享', 'Shared unconditionally', 'Partage sans condition'),
  item('conditional', '有条件共享', 'Shared on conditions', 'Partage sous conditions'),
  item('not_shared', '不予共享', 'Not shared', 'Non partagé'),
];

export const OPEN_TYPE_LABELS: CodeListItem[] = [
  item('unconditional', '无条件开放', 'Open unconditionally', 'Ouvert sans condition'),
  item('conditional', '有条件开放', 'Open on conditions', 'Ouvert sous conditions'),
  item('not_open', '不予开放', 'Not open', 'Non ouvert'),
];

export const UPDATE_CYCLE_LABELS: CodeListItem[] = [
  item('realtime', '实时', 'Real-time', 'Temps réel'),
  item('daily', '每日', 'Daily', 'Quotidienne'),
  item('weekly', '每周', 'Weekly', 'Hebdomadaire'),
  item('monthly', '每月', 'Monthly', 'Mensuelle'),
  item('quarterly', '每季度', 'Quarterly', 'Trimestrielle'),
  item('yearly', '每年', 'Yearly', 'Annuelle'),
  item('irregular', '不定期', 'Irregular', 'Irrégulière'),
];

export const GRADE_LABELS: CodeListItem[] = [
  item('core', '核心数据', 'Core data', 'Données essentielles'),
  item('important', '重要数据', 'Important data', 'Données importantes'),
  item('general-4', '一般数据（四级）', 'General data, level 4', 'Données générales, niveau 4'),
  item('general-3', '一般数据（三级）', 'General data, level 3', 'Données générales, niveau 3'),
  item('general-2', '一般数据（二级）', 'General data, level 2', 'Données générales, niveau 2'),
  item('general-1', '一般数据（一级）', 'General data, level 1', 'Données générales, niveau 1'),
];

export const PERSONAL_INFO_LABELS: CodeListItem[] = [
  item('none', '非个人信息', 'Not personal information', 'Pas une donnée personnelle'),
  item('personal', '个人信息', 'Personal information', 'Donnée personnelle'),
  item('sensitive', '敏感个人信息', 'Sensitive personal information', 'Donnée personnelle sensible'),
];
