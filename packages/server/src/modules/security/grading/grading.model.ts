import { GRADES, type Grade, higherGrade } from '../../catalog/index.ts';

/** Impact objects of GB/T 43697-2024 (data security technology: rules for data classification and grading). */
export const IMPACT_OBJECTS = [
  'national-security',
  'economic-operation',
  'social-order',
  'public-interest',
  'organisational-rights',
  'individual-rights',
] as const;
export type ImpactObject = (typeof IMPACT_OBJECTS)[number];

/** Degrees of harm, worst first. */
export const HARMS = ['especially-serious', 'serious', 'general', 'none'] as const;
export type Harm = (typeof HARMS)[number];

/** The level of each impact object and harm. */
export type GradingMatrix = Record<ImpactObject, Record<Harm, Grade>>;

/**
 * The standard's level rules: harm to national security makes core (especially serious, serious) or
 * important (general) data; to economic operation, social order or public interest, core, important or
 * general data; harm only to an organisation's or a person's rights keeps the data general, its level
 * following the harm. No harm at all is general level 1.
 */
export const DEFAULT_MATRIX: GradingMatrix = {
  'national-security': {
    'especially-serious': 'core',
    serious: 'core',
    general: 'important',
    none: 'general-1',
  },
  'economic-operation': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'social-order': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'public-interest': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'organisational-rights': {
    'especially-serious': 'general-4',
    serious: 'general-3',
    general: 'general-2',
    none: 'general-1',
  },
  'individual-rights': {
    'especially-serious': 'general-4',
    serious: 'general-3',
    general: 'general-2',
    none: 'general-1',
  },
};

/** The problems of a matrix an operator sends: every cell present and a known grade. Empty when valid. */
export function matrixProblems(input: unknown): { path: string; message: string }[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return [{ path: '/matrix', message: 'An object with one row per impact object.' }];
  const rows = input as Record<string, unknown>;
  const problems: { path: string; message: string }[] = [];
  for (const key of Object.keys(rows))
    if (!(IMPACT_OBJECTS as readonly string[]).includes(key))
      problems.push({ path: `/matrix/${key}`, message: 'Not an impact object of GB/T 43697-2024.' });
  for (const impact of IMPACT_OBJECTS) {
    const row = rows[impact];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      problems.push({ path: `/matrix/${impact}`, message: 'Missing: give a level for each harm.' });
      continue;
    }
    const cells = row as Record<string, unknown>;
    for (const key of Object.keys(cells))
      if (!(HARMS as readonly string[]).includes(key))
        problems.push({ path: `/matrix/${impact}/${key}`, message: 'Not a degree of harm.' });
    for (const harm of HARMS) {
      const cell = cells[harm];
      if (cell === undefined) problems.push({ path: `/matrix/${impact}/${harm}`, message: 'Missing.' });
      else if (!(GRADES as readonly unknown[]).includes(cell))
        problems.push({
          path: `/matrix/${impact}/${harm}`,
          message: `Not a grade: use one of ${GRADES.join(', ')}.`,
        });
    }
  }
  return problems;
}

/** The level one impact object and harm give. */
export function levelOf(matrix: GradingMatrix, impact: ImpactObject, harm: Harm): Grade {
  return matrix[impact][harm];
}

/** One information item's grading: what its misuse would harm, how badly, and why. */
export interface FieldGrading {
  field: string;
  impact: ImpactObject;
  harm: Harm;
  rationale: string;
}

/** A dataset-level assessment: harm that only the data taken together would cause (it may only raise). */
export interface DatasetGrading {
  impact: ImpactObject;
  harm: Harm;
  rationale: string;
}

/** What the sensitive-data scanner proposed for a field, kept beside the grading. */
export interface ScannerProposal {
  field: string;
  personalInfo: 'none' | 'personal' | 'sensitive';
  grade: Grade;
  reason: string;
}

/** Each field's derived level and the dataset's: the highest field level, raised by the dataset's own. */
export function deriveLevels(
  matrix: GradingMatrix,
  fields: readonly FieldGrading[],
  dataset: DatasetGrading | null,
): { fields: (FieldGrading & { level: Grade })[]; level: Grade } {
  const graded = fields.map((f) => ({ ...f, level: levelOf(matrix, f.impact, f.harm) }));
  const start: Grade = dataset === null ? 'general-1' : levelOf(matrix, dataset.impact, dataset.harm);
  return { fields: graded, level: graded.reduce<Grade>((g, f) => higherGrade(g, f.level), start) };
}

/** Important and core data are reported to the authority. */
export function isReportable(grade: Grade): boolean {
  return grade === 'core' || grade === 'important';
}

export const GRADING_STATES = ['draft', 'proposed', 'confirmed', 'returned'] as const;
export type GradingState = (typeof GRADING_STATES)[number];

export const OFFICER_ROLES = ['chief-data-officer', 'security-officer'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
