import { createHash } from 'node:crypto';
import { canonicalJson } from '@datapolis/ledger';

/**
 * The usage agreement an applicant signs. A new text gets a new version: applications record the version
 * and the SHA-256 of the text they accepted, so a later change never rewrites what was agreed.
 */
const VERSION = '2026-12-01';

const TEXT = {
  zh: [
    '公共数据有条件开放与共享使用协议',
    '',
    '一、申请人仅可在获批的用途、应用场景、字段、操作和期限内使用数据，不得超出授权范围。',
    '二、申请人不得向第三方转让、出售、出租或以其他方式提供所获数据及其访问凭证（包括 API 令牌）。',
    '三、申请人应落实申请中承诺的安全保护措施，防止数据泄露、篡改、丢失和非法使用；发生或可能发生安全事件时，应立即停止使用并告知数据提供单位和市大数据中心。',
    '四、不得利用数据识别特定自然人，不得将数据与其他数据关联以重新识别个人身份。',
    '五、使用数据形成的成果，应注明数据来源；不得以任何方式表示或暗示数据提供单位认可该成果。',
    '六、授权到期或被撤销后，申请人应停止使用并删除所获数据及副本，法律、行政法规另有规定的除外。',
    '七、数据提供单位和市大数据中心可以对数据使用情况进行检查；每一次访问均记录在平台的透明日志中。',
    '八、违反本协议的，数据提供单位可以撤销授权，并依法追究责任。',
  ].join('\n'),
  en: [
    'Agreement on the use of public data opened or shared under conditions',
    '',
    '1. The applicant uses the data only for the approved purpose and scenario, within the approved fields, operations and period.',
    '2. The applicant does not transfer, sell, lend or otherwise provide the data or its access credentials (including API tokens) to anyone else.',
    '3. The applicant applies the security measures declared in the application to prevent leaks, tampering, loss and unlawful use; on a security incident, or the risk of one, the applicant stops using the data and informs the provider institution and the big data centre at once.',
    '4. The data is not used to identify a natural person, nor combined with other data to re-identify anyone.',
    '5. Results made with the data name its source, and do not state or suggest that the provider endorses them.',
    '6. When the grant expires or is revoked, the applicant stops using the data and deletes it and every copy, unless a law or regulation requires otherwise.',
    '7. The provider institution and the big data centre may inspect how the data is used; every access is written to the platform’s transparency log.',
    '8. On a breach of this agreement the provider institution may revoke the grant and seek redress under the law.',
  ].join('\n'),
  fr: [
    'Convention d’utilisation des données publiques ouvertes ou partagées sous conditions',
    '',
    '1. Le demandeur n’utilise les données que pour la finalité et le scénario approuvés, dans les champs, opérations et période approuvés.',
    '2. Le demandeur ne cède, ne vend, ne prête ni ne fournit d’aucune autre manière les données ou leurs moyens d’accès (jetons d’API compris) à un tiers.',
    '3. Le demandeur applique les mesures de sécurité déclarées dans sa demande contre la fuite, l’altération, la perte et l’usage illicite ; en cas d’incident, ou de risque d’incident, il cesse aussitôt d’utiliser les données et en informe l’institution qui les fournit et le centre des mégadonnées.',
    '4. Les données ne servent pas à identifier une personne physique, ni ne sont croisées avec d’autres pour réidentifier quiconque.',
    '5. Les résultats tirés des données en citent la source et n’affirment ni ne laissent entendre que le fournisseur les approuve.',
    '6. À l’expiration ou à la révocation de l’autorisation, le demandeur cesse d’utiliser les données et les supprime avec toutes leurs copies, sauf obligation légale contraire.',
    '7. L’institution qui fournit les données et le centre des mégadonnées peuvent contrôler leur usage ; chaque accès est inscrit au journal de transparence de la plateforme.',
    '8. En cas de manquement à la présente convention, l’institution qui fournit les données peut révoquer l’autorisation et engager la responsabilité du demandeur conformément à la loi.',
  ].join('\n'),
};

export interface UsageTerms {
  version: string;
  hash: string;
  text: { zh: string; en: string; fr: string };
}

export const USAGE_TERMS: UsageTerms = {
  version: VERSION,
  hash: createHash('sha256').update(canonicalJson(TEXT)).digest('hex'),
  text: TEXT,
};
