/** What each rule means, for the mail to the security officer: Chinese first, then English. */
const RULE_TEXT: Record<string, { zh: string; en: string }> = {
  'volume.user': {
    zh: '用户读取或下载量远超其日常水平',
    en: "a user's reads or downloads far above their normal",
  },
  'volume.table': { zh: '数据表被读取量远超日常水平', en: 'reads of a table far above its normal' },
  'grant.terms': { zh: '超出授权范围的访问', en: "access outside a grant's terms" },
  'signin.account': { zh: '同一账号连续登录失败', en: 'a burst of failed sign-ins to one account' },
  'signin.address': { zh: '同一地址连续登录失败', en: 'a burst of failed sign-ins from one address' },
  'token.addresses': { zh: '同一令牌在多个地址使用', en: 'one API token used from many addresses' },
  'sensitive.fields': { zh: '反复查询敏感字段', en: 'repeated queries over sensitive fields' },
};

const SEVERITY_TEXT: Record<string, { zh: string; en: string }> = {
  low: { zh: '低', en: 'low' },
  medium: { zh: '中', en: 'medium' },
  high: { zh: '高', en: 'high' },
};

export interface AlertMailFacts {
  rule: string;
  severity: string;
  subject: string;
  windowStart: Date;
  windowEnd: Date;
  evidence: Record<string, unknown>;
}

/** A plain-text notice; the evidence is the counts and log entry numbers, never the data itself. */
export function alertMail(
  facts: AlertMailFacts,
  link: string | undefined,
): { subject: string; text: string } {
  const rule = RULE_TEXT[facts.rule] ?? { zh: facts.rule, en: facts.rule };
  const severity = SEVERITY_TEXT[facts.severity] ?? { zh: facts.severity, en: facts.severity };
  const window = `${facts.windowStart.toISOString()} – ${facts.windowEnd.toISOString()}`;
  const evidence = Object.entries(facts.evidence)
    .map(([k, v]) => `  ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('\n');
  const text = [
    `数据安全预警（${severity.zh}）：${rule.zh}。`,
    `对象：${facts.subject}`,
    `时间窗口：${window}`,
    '',
    `Security alert (${severity.en}): ${rule.en}.`,
    `Subject: ${facts.subject}`,
    `Window: ${window}`,
    '',
    'Evidence / 证据:',
    evidence,
    ...(link === undefined ? [] : ['', `查看与处理 / Review and handle: ${link}`]),
  ].join('\n');
  return { subject: `[Datapolis] 数据安全预警 Security alert: ${rule.zh} / ${rule.en}`, text };
}
