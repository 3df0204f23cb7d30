import type { NotificationKind } from './access.model.ts';

export type MailLanguage = 'zh' | 'en' | 'fr';

type Params = Record<string, string>;

interface Template {
  subject: string;
  body: (p: Params) => string[];
}

const zh: Record<NotificationKind, Template> = {
  'application.submitted': {
    subject: '有新的数据使用申请待审核',
    body: (p) => [`目录“${p.entryTitle}”（${p.entryCode}）收到一份数据使用申请，请在审核期限内处理。`],
  },
  'application.asked': {
    subject: '您的数据使用申请需要补充材料',
    body: (p) => [
      `您对“${p.entryTitle}”（${p.entryCode}）的申请需要补充材料。`,
      ...(p.comment === undefined ? [] : [`审核意见：${p.comment}`]),
      '请登录平台答复，答复后申请将重新进入审核。',
    ],
  },
  'application.approved': {
    subject: '您的数据使用申请已批准',
    body: (p) => [
      `您对“${p.entryTitle}”（${p.entryCode}）的申请已批准。`,
      ...(p.validUntil === undefined ? [] : [`授权有效期至：${p.validUntil}`]),
      '请在授权范围内使用数据，并遵守您签署的使用协议。',
    ],
  },
  'application.rejected': {
    subject: '您的数据使用申请未获批准',
    body: (p) => [
      `您对“${p.entryTitle}”（${p.entryCode}）的申请未获批准。`,
      ...(p.comment === undefined ? [] : [`理由：${p.comment}`]),
    ],
  },
  'application.centre_review': {
    subject: '有重要数据使用申请待大数据中心审核',
    body: (p) => [
      `目录“${p.entryTitle}”（${p.entryCode}）的申请已由提供单位同意，涉及重要数据，需市大数据中心审核。`,
    ],
  },
  'grant.revoked': {
    subject: '您的数据使用授权已被撤销',
    body: (p) => [
      `您对“${p.entryTitle}”（${p.entryCode}）的使用授权已被撤销，请立即停止使用并删除所获数据。`,
      ...(p.reason === undefined ? [] : [`理由：${p.reason}`]),
    ],
  },
  'grant.expired': {
    subject: '您的数据使用授权已到期',
    body: (p) => [
      `您对“${p.entryTitle}”（${p.entryCode}）的使用授权已到期，请停止使用并删除所获数据；如需继续使用，请重新申请。`,
    ],
  },
};

const en: Record<NotificationKind, Template> = {
  'application.submitted': {
    subject: 'A data access application is waiting for review',
    body: (p) => [
      `An application for "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) is waiting; please decide before its deadline.`,
    ],
  },
  'application.asked': {
    subject: 'Your data access application needs more information',
    body: (p) => [
      `The reviewer of your application for "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) asks for more information.`,
      ...(p.comment === undefined ? [] : [`Reviewer's note: ${p.comment}`]),
      'Sign in to reply; the application then goes back to review.',
    ],
  },
  'application.approved': {
    subject: 'Your data access application is approved',
    body: (p) => [
      `Your application for "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) is approved.`,
      ...(p.validUntil === undefined ? [] : [`The grant is valid until ${p.validUntil}.`]),
      'Use the data within the grant and the usage agreement you signed.',
    ],
  },
  'application.rejected': {
    subject: 'Your data access application is rejected',
    body: (p) => [
      `Your application for "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) is rejected.`,
      ...(p.comment === undefined ? [] : [`Reason: ${p.comment}`]),
    ],
  },
  'application.centre_review': {
    subject: 'An application for important data needs the big data centre',
    body: (p) => [
      `The provider approved an application for "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}); it is important data, so the big data centre must decide too.`,
    ],
  },
  'grant.revoked': {
    subject: 'Your data access grant is revoked',
    body: (p) => [
      `Your grant on "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) is revoked: stop using the data and delete it now.`,
      ...(p.reason === undefined ? [] : [`Reason: ${p.reason}`]),
    ],
  },
  'grant.expired': {
    subject: 'Your data access grant has expired',
    body: (p) => [
      `Your grant on "${p.entryTitleEn ?? p.entryTitle}" (${p.entryCode}) has expired: stop using the data and delete it; apply again to keep using it.`,
    ],
  },
};

const fr: Record<NotificationKind, Template> = {
  'application.submitted': {
    subject: 'Une demande d’accès aux données attend votre examen',
    body: (p) => [
      `Une demande porte sur « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) ; décidez avant l’échéance.`,
    ],
  },
  'application.asked': {
    subject: 'Votre demande d’accès aux données doit être complétée',
    body: (p) => [
      `L’examinateur de votre demande pour « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) demande des compléments.`,
      ...(p.comment === undefined ? [] : [`Note : ${p.comment}`]),
      'Connectez-vous pour répondre ; la demande repart alors en examen.',
    ],
  },
  'application.approved': {
    subject: 'Votre demande d’accès aux données est approuvée',
    body: (p) => [
      `Votre demande pour « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) est approuvée.`,
      ...(p.validUntil === undefined ? [] : [`L’autorisation vaut jusqu’au ${p.validUntil}.`]),
      'Utilisez les données dans les limites de l’autorisation et de la convention signée.',
    ],
  },
  'application.rejected': {
    subject: 'Votre demande d’accès aux données est refusée',
    body: (p) => [
      `Votre demande pour « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) est refusée.`,
      ...(p.comment === undefined ? [] : [`Motif : ${p.comment}`]),
    ],
  },
  'application.centre_review': {
    subject: 'Une demande portant sur des données importantes attend le centre des mégadonnées',
    body: (p) => [
      `Le fournisseur a approuvé une demande pour « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) ; ce sont des données importantes, le centre doit aussi décider.`,
    ],
  },
  'grant.revoked': {
    subject: 'Votre autorisation d’accès aux données est révoquée',
    body: (p) => [
      `Votre autorisation sur « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) est révoquée : cessez d’utiliser les données et supprimez-les.`,
      ...(p.reason === undefined ? [] : [`Motif : ${p.reason}`]),
    ],
  },
  'grant.expired': {
    subject: 'Votre autorisation d’accès aux données a expiré',
    body: (p) => [
      `Votre autorisation sur « ${p.entryTitleFr ?? p.entryTitle} » (${p.entryCode}) a expiré : cessez d’utiliser les données et supprimez-les ; faites une nouvelle demande pour continuer.`,
    ],
  },
};

const TEMPLATES: Record<MailLanguage, Record<NotificationKind, Template>> = { zh, en, fr };

const FOOTER: Record<MailLanguage, string> = {
  zh: '此邮件由 Datapolis 平台自动发送，请勿回复。',
  en: 'Sent automatically by the Datapolis platform; please do not reply.',
  fr: 'Envoyé automatiquement par la plateforme Datapolis ; merci de ne pas répondre.',
};

/**
 * The mail for one notification: in the recipient's language when it is known, otherwise Chinese with
 * the English text below it.
 */
export function notificationMail(
  kind: NotificationKind,
  params: Params,
  link: string | undefined,
  language: MailLanguage | undefined,
): { subject: string; text: string } {
  const languages: MailLanguage[] = language === undefined ? ['zh', 'en'] : [language];
  const parts = languages.map((lang) => {
    const template = TEMPLATES[lang][kind];
    return [...template.body(params), ...(link === undefined ? [] : [link]), '', FOOTER[lang]].join('\n');
  });
  const subject = languages.map((lang) => TEMPLATES[lang][kind].subject).join(' / ');
  return {
    subject: `[Datapolis] ${subject}`,
    text: `${parts.join('\n\n----------------------------------------\n\n')}\n`,
  };
}
