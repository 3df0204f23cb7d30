import type { SessionUser } from '../../api/types.ts';
import type { Grade } from '../catalog/catalog-types.ts';
import { higherGrade } from '../catalog/grade.ts';
import type {
  DashboardRow,
  DatasetAssessment,
  FieldAssessment,
  GradingMatrix,
  GradingView,
  Harm,
  ImpactObject,
  ScannerProposal,
} from './security-types.ts';

/** A field's row in the editor: not yet assessed until both impact object and harm are chosen. */
export interface FieldRow {
  field: string;
  impact: ImpactObject | undefined;
  harm: Harm | undefined;
  rationale: string;
}

/** The level the matrix gives, or undefined while the row is incomplete. */
export function levelOf(
  matrix: GradingMatrix | undefined,
  impact: ImpactObject | undefined,
  harm: Harm | undefined,
): Grade | undefined {
  if (matrix === undefined || impact === undefined || harm === undefined) return undefined;
  return matrix[impact]?.[harm];
}

/** The dataset's level, live: the highest field level, raised by the dataset's own assessment. */
export function datasetLevel(
  matrix: GradingMatrix | undefined,
  rows: readonly FieldRow[],
  dataset: Partial<DatasetAssessment> | undefined,
): Grade | undefined {
  let level = levelOf(matrix, dataset?.impact, dataset?.harm);
  for (const row of rows) {
    const own = levelOf(matrix, row.impact, row.harm);
    if (own !== undefined) level = level === undefined ? own : higherGrade(level, own);
  }
  return level;
}

/** One editor row per field of the entry, prefilled from the saved grading. */
export function initialRows(view: GradingView): FieldRow[] {
  const saved = new Map(view.grading?.fields.map((f) => [f.field, f]) ?? []);
  return view.entry.fields.map((f) => {
    const s = saved.get(f.name);
    return { field: f.name, impact: s?.impact, harm: s?.harm, rationale: s?.rationale ?? '' };
  });
}

/** What the editor sends: only the assessed rows (a draft may be partial); the server checks the rest. */
export function draftBody(
  rows: readonly FieldRow[],
  dataset: Partial<DatasetAssessment> | undefined,
  proposals?: readonly ScannerProposal[],
): { fields: FieldAssessment[]; dataset: DatasetAssessment | null; proposals?: ScannerProposal[] } {
  const fields = rows.flatMap((r) =>
    r.impact !== undefined && r.harm !== undefined
      ? [{ field: r.field, impact: r.impact, harm: r.harm, rationale: r.rationale.trim() }]
      : [],
  );
  const complete = dataset?.impact !== undefined && dataset.harm !== undefined;
  return {
    fields,
    dataset: complete
      ? { impact: dataset.impact!, harm: dataset.harm!, rationale: dataset.rationale?.trim() ?? '' }
      : null,
    ...(proposals === undefined ? {} : { proposals: [...proposals] }),
  };
}

/** Rows that would stop a proposal: not assessed, or without a rationale. */
export function incompleteFields(rows: readonly FieldRow[]): string[] {
  return rows
    .filter((r) => r.impact === undefined || r.harm === undefined || r.rationale.trim() === '')
    .map((r) => r.field);
}

/** The scanner's proposals by field name. */
export function proposalsByField(proposals: readonly ScannerProposal[] | undefined) {
  const byField = new Map<string, ScannerProposal[]>();
  for (const p of proposals ?? []) byField.set(p.field, [...(byField.get(p.field) ?? []), p]);
  return byField;
}

/** Is a reporting deadline past? Undefined or unreadable deadlines are not. */
export function deadlinePassed(deadline: string | null | undefined, now: Date): boolean {
  if (!deadline) return false;
  const at = Date.parse(deadline);
  return Number.isFinite(at) && at < now.getTime();
}

/** Graded and ungraded entries per institution, as a stacked horizontal bar chart. */
export function gradedChartOption(
  rows: readonly DashboardRow[],
  labels: { graded: string; ungraded: string; name: (row: DashboardRow) => string },
): Record<string, unknown> {
  const shown = rows.filter((r) => r.entries > 0);
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map(labels.name), inverse: true },
    series: [
      { name: labels.graded, type: 'bar', stack: 'all', data: shown.map((r) => r.graded), color: '#2f7d4f' },
      {
        name: labels.ungraded,
        type: 'bar',
        stack: 'all',
        data: shown.map((r) => r.ungraded),
        color: '#c0392b',
      },
    ],
  };
}

/** Totals over the dashboard's institutions. */
export function dashboardTotals(rows: readonly DashboardRow[]) {
  return rows.reduce(
    (t, r) => ({
      entries: t.entries + r.entries,
      graded: t.graded + r.graded,
      ungraded: t.ungraded + r.ungraded,
      awaitingConfirmation: t.awaitingConfirmation + r.awaitingConfirmation,
      openAlerts: t.openAlerts + r.openAlerts,
      openIncidents: t.openIncidents + r.openIncidents,
    }),
    { entries: 0, graded: 0, ungraded: 0, awaitingConfirmation: 0, openAlerts: 0, openIncidents: 0 },
  );
}

/**
 * Who sees the Security area: security officers, operators, auditors and organisation admins (a
 * designated officer who is a plain member opens the pages by address; the server decides).
 */
export function maySeeSecurity(user: SessionUser | undefined): boolean {
  if (user === undefined) return false;
  if (user.platformRoles.some((r) => r === 'security_officer' || r === 'operator' || r === 'auditor'))
    return true;
  return user.memberships.some((m) => m.role === 'admin');
}

/** Route guard for the grading page: whoever works on an organisation's data, or the platform roles. */
export function mayOpenGrading(user: SessionUser): boolean {
  return maySeeSecurity(user) || user.memberships.length > 0;
}

/** Organisations whose officers this user may name: where they are admin (operators: any). */
export function adminOf(user: SessionUser | undefined): string[] {
  return user?.memberships.filter((m) => m.role === 'admin').map((m) => m.organizationId) ?? [];
}
