/**
 * Data security incidents (Art. 48 para. 2 of the Beijing regulation; PIPL Art. 57; the national
 * network-security incident reporting measures of 2025, 国家网络安全事件报告管理办法, in force 1 Nov 2025).
 */

export const INCIDENT_KINDS = [
  'leak',
  'tampering',
  'loss',
  'unavailability',
  'exploited-vulnerability',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** From the most to the least severe, the four levels of the 2025 measures' classification guide. */
export const SEVERITIES = ['especially-major', 'major', 'relatively-major', 'general'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATES = ['open', 'contained', 'resolved', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export type TimelineKind = 'created' | 'edited' | 'state' | 'note' | 'task' | 'reported' | 'letter';
export const LETTER_LANGUAGES = ['zh-CN', 'en', 'fr'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** The contents PIPL Art. 57 asks of a notice to the people concerned, as the recorder writes them. */
export interface NoticeFields {
  /** The kinds of personal information involved. */
  informationTypes: string;
  /** The cause of the incident. */
  cause: string;
  /** The harm it may do. */
  possibleHarm: string;
  /** The remedies the organisation has taken. */
  remedies: string;
  /** What people can do themselves to reduce the harm. */
  advice: string;
  /** How to reach the organisation. */
  contact: string;
}

export const NOTICE_ITEMS: readonly (keyof NoticeFields)[] = [
  'informationTypes',
  'cause',
  'possibleHarm',
  'remedies',
  'advice',
  'contact',
];

export function emptyNotice(): NoticeFields {
  return { informationTypes: '', cause: '', possibleHarm: '', remedies: '', advice: '', contact: '' };
}

export interface DeadlineRule {
  /** true: only incidents touching critical information infrastructure; null: any incident. */
  cii: boolean | null;
  /** The rule applies from this severity up. */
  minSeverity: Severity;
  hours: number;
  /** Where the rule comes from, shown beside the deadline. */
  source: string;
}

export interface IncidentRules {
  /** The proposed severity from the people affected: the most severe threshold reached. */
  peopleThresholds: { severity: Severity; minPeople: number }[];
  /** An incident touching data of this grade is proposed at least this severe. */
  gradeFloors: { grade: 'core' | 'important'; severity: Severity }[];
  /** The first rule that matches gives the deadline of the report; none: record only. */
  deadlines: DeadlineRule[];
}

/**
 * Defaults, from the 2025 reporting measures and the classification guide annexed to them:
 * - a relatively major (较大) incident or worse is reported; an operator of critical information
 *   infrastructure reports within 1 hour of discovery, any other operator within 4 hours; a general
 *   (一般) incident is recorded only;
 * - personal information of 1 million people or more leaked is at least relatively major, 10 million
 *   major, 100 million especially major;
 * - important data (GB/T 43697-2024 grade) makes an incident at least relatively major, core data at
 *   least major.
 * An operator replaces these rules through `PUT /security/incidents/rules` (validated and logged).
 */
export const DEFAULT_INCIDENT_RULES: IncidentRules = {
  peopleThresholds: [
    { severity: 'especially-major', minPeople: 100_000_000 },
    { severity: 'major', minPeople: 10_000_000 },
    { severity: 'relatively-major', minPeople: 1_000_000 },
  ],
  gradeFloors: [
    { grade: 'core', severity: 'major' },
    { grade: 'important', severity: 'relatively-major' },
  ],
  deadlines: [
    {
      cii: true,
      minSeverity: 'relatively-major',
      hours: 1,
      source: '国家网络安全事件报告管理办法 (2025): critical information infrastructure, 1 hour',
    },
    {
      cii: null,
      minSeverity: 'relatively-major',
      hours: 4,
      source: '国家网络安全事件报告管理办法 (2025): relatively major or worse, 4 hours',
    },
  ],
};

/** Lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function moreSevere(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** The severity the rules propose for an incident's facts, with the reasons. */
export function proposeSeverity(
  rules: IncidentRules,
  facts: { peopleAffected: number; dataGrade: string | null },
): { severity: Severity; reasons: string[] } {
  let severity: Severity = 'general';
  const reasons: string[] = [];
  for (const t of rules.peopleThresholds) {
    if (facts.peopleAffected >= t.minPeople && severityRank(t.severity) < severityRank(severity)) {
      severity = t.severity;
      reasons.push(`${facts.peopleAffected} people affected ≥ ${t.minPeople}: ${t.severity}`);
    }
  }
  for (const floor of rules.gradeFloors) {
    if (facts.dataGrade === floor.grade && severityRank(floor.severity) < severityRank(severity)) {
      severity = floor.severity;
      reasons.push(`${floor.grade} data concerned: at least ${floor.severity}`);
    }
  }
  if (reasons.length === 0) reasons.push('no rule reached: general');
  return { severity, reasons };
}

/** The reporting deadline the rules give: hours after detection, or null when no report is required. */
export function deadlineFor(
  rules: IncidentRules,
  facts: { severity: Severity; cii: boolean; detectedAt: Date },
): { at: Date; rule: string; hours: number } | null {
  const rule = rules.deadlines.find(
    (r) =>
      (r.cii === null || r.cii === facts.cii) && severityRank(facts.severity) <= severityRank(r.minSeverity),
  );
  if (rule === undefined) return null;
  return {
    at: new Date(facts.detectedAt.getTime() + rule.hours * 3_600_000),
    rule: rule.source,
    hours: rule.hours,
  };
}

/** Overdue: a report was due, its deadline has passed, and it has not been sent. */
export function isOverdue(deadlineAt: Date | null, reportedAt: Date | null, now: Date): boolean {
  return deadlineAt !== null && reportedAt === null && deadlineAt.getTime() < now.getTime();
}

/** States only move forward; skipping one (an incident resolved at once) is allowed. */
export function canMove(from: IncidentState, to: IncidentState): boolean {
  return INCIDENT_STATES.indexOf(to) > INCIDENT_STATES.indexOf(from);
}

/** Rule sets must make sense: checked beyond their shape, each problem with its path. */
export function ruleProblems(rules: IncidentRules): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<Severity>();
  rules.peopleThresholds.forEach((t, i) => {
    if (t.severity === 'general')
      problems.push({ path: `/peopleThresholds/${i}/severity`, message: 'general is what no rule reaches.' });
    if (seen.has(t.severity))
      problems.push({ path: `/peopleThresholds/${i}/severity`, message: `${t.severity} appears twice.` });
    seen.add(t.severity);
  });
  const sorted = [...rules.peopleThresholds].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity),
  );
  for (let i = 1; i < sorted.length; i += 1)
    if (sorted[i]!.minPeople >= sorted[i - 1]!.minPeople)
      problems.push({
        path: '/peopleThresholds',
        message: `${sorted[i]!.severity} must need fewer people than ${sorted[i - 1]!.severity}.`,
      });
  const grades = new Set<string>();
  rules.gradeFloors.forEach((f, i) => {
    if (grades.has(f.grade))
      problems.push({ path: `/gradeFloors/${i}/grade`, message: `${f.grade} appears twice.` });
    grades.add(f.grade);
  });
  rules.deadlines.forEach((d, i) => {
    if (!(d.hours > 0))
      problems.push({ path: `/deadlines/${i}/hours`, message: 'A deadline is a positive number of hours.' });
  });
  return problems;
}
