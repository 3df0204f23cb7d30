/**
 * Cross-border transfers of data (Art. 48 of the Beijing regulation; PIPL Art. 38-40 and 55; the
 * provisions on promoting and regulating cross-border data flows, 促进和规范数据跨境流动规定, 2024).
 */

export const TRANSFER_ROUTES = [
  'security-assessment',
  'standard-contract-or-certification',
  'exempt',
] as const;
export type TransferRoute = (typeof TRANSFER_ROUTES)[number];

export const TRANSFER_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export interface TransferRules {
  /** Personal information (not sensitive) of this many people or more: security assessment. */
  assessmentPeople: number;
  /** Sensitive personal information of this many people or more: security assessment. */
  assessmentSensitivePeople: number;
  /** Personal information of this many people or more (and under `assessmentPeople`): contract or certification. */
  contractPeople: number;
}

/**
 * Defaults from Art. 7 and 8 of the 2024 provisions: any important data, personal information of
 * 1,000,000 people or more, or sensitive personal information of 10,000 people or more since 1 January
 * of the year → security assessment by the CAC; 100,000 to under 1,000,000 people, or any sensitive
 * personal information under 10,000 people → standard contract or certification; under 100,000 people
 * and no sensitive personal information → exempt (Art. 5). Any important data always needs the
 * assessment (Art. 7), whatever the rules say.
 */
export const DEFAULT_TRANSFER_RULES: TransferRules = {
  assessmentPeople: 1_000_000,
  assessmentSensitivePeople: 10_000,
  contractPeople: 100_000,
};

export type ReasonCode =
  | 'important-data'
  | 'people-assessment'
  | 'sensitive-assessment'
  | 'people-contract'
  | 'sensitive-contract'
  | 'below-thresholds';

export interface RouteReason {
  code: ReasonCode;
  /** The count the rule looked at (cumulative since 1 January), when it looks at one. */
  value?: number;
  threshold?: number;
  text: string;
}

export interface RouteFacts {
  containsImportantData: boolean;
  /** People whose (non-sensitive) personal information goes abroad, cumulative since 1 January. */
  people: number;
  /** People whose sensitive personal information goes abroad, cumulative since 1 January. */
  sensitivePeople: number;
}

/** The route a transfer must take, with every reason that leads to it (the strictest route wins). */
export function routeFor(
  rules: TransferRules,
  facts: RouteFacts,
): { route: TransferRoute; reasons: RouteReason[] } {
  const assessment: RouteReason[] = [];
  if (facts.containsImportantData)
    assessment.push({ code: 'important-data', text: 'The data contains important data.' });
  if (facts.people >= rules.assessmentPeople)
    assessment.push({
      code: 'people-assessment',
      value: facts.people,
      threshold: rules.assessmentPeople,
      text: `Personal information of ${facts.people} people since 1 January (≥ ${rules.assessmentPeople}).`,
    });
  if (facts.sensitivePeople >= rules.assessmentSensitivePeople)
    assessment.push({
      code: 'sensitive-assessment',
      value: facts.sensitivePeople,
      threshold: rules.assessmentSensitivePeople,
      text: `Sensitive personal information of ${facts.sensitivePeople} people since 1 January (≥ ${rules.assessmentSensitivePeople}).`,
    });
  if (assessment.length > 0) return { route: 'security-assessment', reasons: assessment };
  const contract: RouteReason[] = [];
  if (facts.people >= rules.contractPeople)
    contract.push({
      code: 'people-contract',
      value: facts.people,
      threshold: rules.contractPeople,
      text: `Personal information of ${facts.people} people since 1 January (≥ ${rules.contractPeople}, < ${rules.assessmentPeople}).`,
    });
  if (facts.sensitivePeople > 0)
    contract.push({
      code: 'sensitive-contract',
      value: facts.sensitivePeople,
      threshold: rules.assessmentSensitivePeople,
      text: `Sensitive personal information of ${facts.sensitivePeople} people since 1 January (< ${rules.assessmentSensitivePeople}).`,
    });
  if (contract.length > 0) return { route: 'standard-contract-or-certification', reasons: contract };
  return {
    route: 'exempt',
    reasons: [
      {
        code: 'below-thresholds',
        value: facts.people,
        threshold: rules.contractPeople,
        text: `No important data, no sensitive personal information, and personal information of ${facts.people} people since 1 January (< ${rules.contractPeople}).`,
      },
    ],
  };
}

export function transferRuleProblems(rules: TransferRules): { path: string; message: string }[] {
  return rules.contractPeople >= rules.assessmentPeople
    ? [{ path: '/contractPeople', message: 'Must be below assessmentPeople.' }]
    : [];
}

/** PIPL Art. 56: a personal information protection impact assessment is kept at least three years. */
export const ASSESSMENT_RETENTION_YEARS = 3;

/** The calendar year of an instant in Beijing (UTC+8): "since 1 January" is the city's 1 January. */
export function cityYear(instant: Date): number {
  return new Date(instant.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** The day three years after `from` (in Beijing), until which an assessment may not be deleted. */
export function retainUntil(from: Date): string {
  const day = new Date(from.getTime() + 8 * 3_600_000);
  day.setUTCFullYear(day.getUTCFullYear() + ASSESSMENT_RETENTION_YEARS);
  return day.toISOString().slice(0, 10);
}
