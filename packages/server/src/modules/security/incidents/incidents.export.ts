import type { IncidentReport } from './incidents.service.ts';

const none = (v: string | null | undefined) =>
  v === null || v === undefined || v.trim() === '' ? '—' : v.trim();

/**
 * The report for the authority as a plain-text (Markdown) document: the items the 2025 reporting
 * measures ask of a report (the unit, the event, its time and kind, the harm, the data and people
 * concerned, the measures taken, the cause) with bilingual headings.
 */
export function reportMarkdown(r: IncidentReport): string {
  const i = r.incident;
  const lines = [
    `# 网络安全事件报告 / Incident report — ${i.title}`,
    '',
    `- 报告生成时间 / Generated: ${r.generatedAt}`,
    `- 单位 / Organisation: ${r.organization.name.zh}${r.organization.name.en ? ` (${r.organization.name.en})` : ''}`,
    `- 事件编号 / Incident id: ${i.id}`,
    `- 事件类型 / Kind: ${i.kind}`,
    `- 发现时间 / Detected at: ${i.detectedAt}`,
    `- 事件级别 / Severity: ${i.severity} (proposed by the rules: ${i.proposedSeverity})`,
    `- 关键信息基础设施 / Critical information infrastructure: ${i.criticalInformationInfrastructure ? '是 / yes' : '否 / no'}`,
    `- 影响人数 / People affected: ${i.peopleAffected}`,
    `- 状态 / State: ${i.state}`,
    '',
    '## 报告期限 / Reporting',
    '',
    `- 须报告 / Report required: ${r.reporting.required ? '是 / yes' : '否 / no (record only)'}`,
    `- 期限 / Deadline: ${none(r.reporting.deadlineAt)}${r.reporting.overdue ? ' — 已逾期 / OVERDUE' : ''}`,
    `- 依据 / Rule: ${none(r.reporting.rule)}`,
    `- 报送时间 / Reported at: ${none(r.reporting.reportedAt)}`,
    `- 报送编号 / Reference: ${none(r.reporting.reference)}`,
    '',
    '## 事件情况 / Description',
    '',
    none(i.description),
    '',
    '## 涉及数据 / Data concerned',
    '',
    ...(r.dataConcerned.length === 0
      ? ['—']
      : r.dataConcerned.map(
          (d) => `- ${d.code} ${d.title.zh}${d.title.en ? ` / ${d.title.en}` : ''} (${d.grade})`,
        )),
    '',
    `- 涉及个人信息种类 / Personal information involved: ${none(r.notification.informationTypes)}`,
    '',
    '## 原因 / Cause',
    '',
    none(r.cause),
    '',
    '## 可能的危害 / Possible harm',
    '',
    none(r.possibleHarm),
    '',
    '## 已采取的措施 / Measures taken',
    '',
    none(r.remediesTaken),
    '',
    none(r.remediation),
    '',
    '## 告知个人 / Notification of the people affected',
    '',
    `- 联系方式 / Contact: ${none(r.notification.contact)}`,
    ...(r.notification.letters.length === 0
      ? ['- 尚未发送告知函 / No letter sent yet']
      : r.notification.letters.map(
          (l) =>
            `- ${l.createdAt} (${l.language}): ${l.recipients} addressed, ${l.sent} sent, ${l.failed} refused`,
        )),
    '',
    '## 任务 / Tasks',
    '',
    ...(r.tasks.length === 0
      ? ['—']
      : r.tasks.map(
          (t) =>
            `- [${t.done ? 'x' : ' '}] ${t.title}${t.assignee ? ` (${t.assignee})` : ''}${t.dueDate ? `, due ${t.dueDate}` : ''}`,
        )),
    '',
    '## 时间线 / Timeline',
    '',
    ...r.timeline.map((e) => `- ${e.at} ${e.author}: ${e.text}`),
    '',
  ];
  return lines.join('\n');
}
