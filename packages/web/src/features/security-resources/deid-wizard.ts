// The de-identification wizard's state and what it sends: a transformation per field (step 1), the risk
// settings (step 2) and the target table (step 3). Kept apart from the components so that the request the
// server receives can be checked without a browser.
import type {
  DerivationRequest,
  HierarchySpec,
  RiskThresholds,
  Scenario,
  SearchRequest,
  TransformSpec,
} from './resources-types.ts';

export const TRANSFORM_KINDS = [
  'keep',
  'drop',
  'mask',
  'hash',
  'generalize',
  'range',
  'truncate-date',
  'noise',
  'suppress',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

export const HIERARCHY_KINDS = ['ranges', 'dates', 'regions', 'csv'] as const;
export type HierarchyKind = (typeof HIERARCHY_KINDS)[number];

export const DATE_LEVELS = ['month', 'year', 'decade'] as const;
export type DateLevel = (typeof DATE_LEVELS)[number];

export const TRUNCATE_UNITS = ['year', 'month', 'day'] as const;
export const NOISE_DISTRIBUTIONS = ['laplace', 'gaussian', 'uniform'] as const;

/** What the form holds for one field; only the settings of the chosen kind are sent. */
export interface FieldPlan {
  kind: TransformKind;
  mask: { keepStart: number | null; keepEnd: number | null; char: string };
  hashLength: number | null;
  hierarchy: HierarchyKind;
  /** Range widths as typed, e.g. "10, 20, 40". */
  ranges: string;
  dates: DateLevel[];
  /** A hierarchy file read from disk: its name, text and number of levels. */
  csv: { name: string; text: string; levels: number } | undefined;
  level: number | null;
  range: { width: number | null; origin: number | null };
  truncate: (typeof TRUNCATE_UNITS)[number];
  noise: { distribution: (typeof NOISE_DISTRIBUTIONS)[number]; scale: number | null; round: number | null };
}

export interface WizardState {
  /** The table's fields, in its order. */
  order: string[];
  fields: Record<string, FieldPlan>;
  quasiIdentifiers: string[];
  sensitive: string[];
  scenario: Scenario;
  suppression: { enabled: boolean; k: number | null; maxSharePercent: number | null };
  target: { entryCode: string; name: string; description: string };
}

export function defaultFieldPlan(): FieldPlan {
  return {
    kind: 'keep',
    mask: { keepStart: 0, keepEnd: 4, char: '*' },
    hashLength: 16,
    hierarchy: 'ranges',
    ranges: '',
    dates: ['year'],
    csv: undefined,
    level: 1,
    range: { width: null, origin: null },
    truncate: 'year',
    noise: { distribution: 'laplace', scale: null, round: 0 },
  };
}

export function initialWizard(fields: readonly string[], entryCode: string, name: string): WizardState {
  return {
    order: [...fields],
    fields: Object.fromEntries(fields.map((f) => [f, defaultFieldPlan()])),
    quasiIdentifiers: [],
    sensitive: [],
    scenario: 'conditional-opening',
    suppression: { enabled: false, k: 5, maxSharePercent: 5 },
    target: { entryCode, name, description: '' },
  };
}

/** Where a problem is shown: the wizard's step, and the field or setting it concerns. */
export interface WizardProblem {
  step: 0 | 1 | 2;
  /** A field of the table (step 1), or a setting: quasiIdentifiers, sensitive, suppression, entryCode, name. */
  at: string;
  code:
    | 'rangesInvalid'
    | 'rangesNotNested'
    | 'datesMissing'
    | 'csvMissing'
    | 'levelOutOfRange'
    | 'maskInvalid'
    | 'maskChar'
    | 'hashLength'
    | 'widthInvalid'
    | 'scaleInvalid'
    | 'roundInvalid'
    | 'noQuasiIdentifiers'
    | 'quasiIdentifierRemoved'
    | 'bothRoles'
    | 'suppressionK'
    | 'suppressionShare'
    | 'required'
    | 'tooLong'
    | 'noHierarchies';
  /** Values for the message (field names, limits). */
  values?: Record<string, string | number>;
}

/** Numbers typed with commas, spaces or Chinese commas between them; undefined when one is not a number. */
export function parseWidths(text: string): number[] | undefined {
  const parts = text
    .split(/[\s,，;；、]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) return undefined;
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isFinite(n) && n > 0) ? numbers : undefined;
}

/** Widths of nested ranges: each a whole multiple (2x or more) of the one before, as the server requires. */
function nested(widths: readonly number[]): boolean {
  for (let i = 1; i < widths.length; i++) {
    const ratio = (widths[i] as number) / (widths[i - 1] as number);
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || Math.round(ratio) < 2) return false;
  }
  return true;
}

/** The highest level a generalisation may take ("*" for numeric ranges and dates); undefined until known. */
export function maxLevel(plan: FieldPlan): number | undefined {
  switch (plan.hierarchy) {
    case 'ranges': {
      const widths = parseWidths(plan.ranges);
      return widths === undefined ? undefined : widths.length + 1;
    }
    case 'dates':
      return plan.dates.length === 0 ? undefined : plan.dates.length + 1;
    case 'regions':
      // Prefecture, province, then "*".
      return 3;
    case 'csv':
      return plan.csv === undefined ? undefined : plan.csv.levels - 1;
  }
}

/** The hierarchy the server is sent for a generalised field, or the problem that stops it. */
export function hierarchyOf(field: string, plan: FieldPlan): HierarchySpec | WizardProblem {
  switch (plan.hierarchy) {
    case 'ranges': {
      const widths = parseWidths(plan.ranges);
      if (widths === undefined || widths.length > 10) return { step: 0, at: field, code: 'rangesInvalid' };
      if (!nested(widths)) return { step: 0, at: field, code: 'rangesNotNested' };
      return { ranges: widths };
    }
    case 'dates': {
      if (plan.dates.length === 0) return { step: 0, at: field, code: 'datesMissing' };
      // Fine to coarse, whatever order they were ticked in.
      return { dates: DATE_LEVELS.filter((d) => plan.dates.includes(d)) };
    }
    case 'regions':
      return { regions: true };
    case 'csv':
      if (plan.csv === undefined) return { step: 0, at: field, code: 'csvMissing' };
      return { csv: plan.csv.text };
  }
}

function isProblem(value: object): value is WizardProblem {
  return 'code' in value && 'step' in value;
}

const wholeAtLeast = (n: number | null, min: number): n is number =>
  n !== null && Number.isInteger(n) && n >= min;

/** One field's transformation as the server takes it, or what is wrong with it. */
export function transformOf(field: string, plan: FieldPlan): TransformSpec | WizardProblem {
  const problem = (code: WizardProblem['code'], values?: WizardProblem['values']): WizardProblem => ({
    step: 0,
    at: field,
    code,
    ...(values === undefined ? {} : { values }),
  });
  switch (plan.kind) {
    case 'keep':
    case 'drop':
    case 'suppress':
      return { kind: plan.kind };
    case 'mask': {
      const { keepStart, keepEnd, char } = plan.mask;
      if (
        (keepStart !== null && !wholeAtLeast(keepStart, 0)) ||
        (keepEnd !== null && !wholeAtLeast(keepEnd, 0))
      )
        return problem('maskInvalid');
      if ([...char].length > 1) return problem('maskChar');
      return {
        kind: 'mask',
        ...(keepStart === null ? {} : { keepStart }),
        ...(keepEnd === null ? {} : { keepEnd }),
        ...(char === '' ? {} : { char }),
      };
    }
    case 'hash': {
      const length = plan.hashLength;
      if (length !== null && !(Number.isInteger(length) && length >= 8 && length <= 64))
        return problem('hashLength', { min: 8, max: 64 });
      return length === null ? { kind: 'hash' } : { kind: 'hash', length };
    }
    case 'generalize': {
      const hierarchy = hierarchyOf(field, plan);
      if (isProblem(hierarchy)) return hierarchy;
      const max = maxLevel(plan) ?? 0;
      if (!wholeAtLeast(plan.level, 0) || plan.level > max) return problem('levelOutOfRange', { max });
      return { kind: 'generalize', hierarchy, level: plan.level };
    }
    case 'range': {
      const { width, origin } = plan.range;
      if (width === null || !(Number.isFinite(width) && width > 0)) return problem('widthInvalid');
      return { kind: 'range', width, ...(origin === null ? {} : { origin }) };
    }
    case 'truncate-date':
      return { kind: 'truncate-date', unit: plan.truncate };
    case 'noise': {
      const { distribution, scale, round } = plan.noise;
      if (scale === null || !(Number.isFinite(scale) && scale > 0)) return problem('scaleInvalid');
      if (round !== null && !(Number.isInteger(round) && round >= 0 && round <= 10))
        return problem('roundInvalid', { max: 10 });
      return { kind: 'noise', distribution, scale, ...(round === null ? {} : { round }) };
    }
  }
}

/** Fields whose values leave the derived table entirely. */
function removed(plan: FieldPlan | undefined): boolean {
  return plan?.kind === 'drop' || plan?.kind === 'suppress';
}

/** The problems of one step, in the order its controls appear. */
export function stepProblems(state: WizardState, step: 0 | 1 | 2): WizardProblem[] {
  const problems: WizardProblem[] = [];
  if (step === 0) {
    for (const field of state.order) {
      const plan = state.fields[field];
      if (plan === undefined) continue;
      const result = transformOf(field, plan);
      if (isProblem(result)) problems.push(result);
    }
  } else if (step === 1) {
    if (state.quasiIdentifiers.length === 0)
      problems.push({ step: 1, at: 'quasiIdentifiers', code: 'noQuasiIdentifiers' });
    for (const qi of state.quasiIdentifiers)
      if (removed(state.fields[qi]))
        problems.push({
          step: 1,
          at: 'quasiIdentifiers',
          code: 'quasiIdentifierRemoved',
          values: { field: qi },
        });
    for (const s of state.sensitive)
      if (state.quasiIdentifiers.includes(s))
        problems.push({ step: 1, at: 'sensitive', code: 'bothRoles', values: { field: s } });
    if (state.suppression.enabled) {
      if (!wholeAtLeast(state.suppression.k, 1))
        problems.push({ step: 1, at: 'suppression', code: 'suppressionK' });
      const share = state.suppression.maxSharePercent;
      if (share === null || !(share >= 0 && share <= 100))
        problems.push({ step: 1, at: 'suppression', code: 'suppressionShare' });
    }
  } else {
    if (state.target.entryCode.trim() === '') problems.push({ step: 2, at: 'entryCode', code: 'required' });
    const name = state.target.name.trim();
    if (name === '') problems.push({ step: 2, at: 'name', code: 'required' });
    else if (name.length > 200) problems.push({ step: 2, at: 'name', code: 'tooLong', values: { max: 200 } });
    if (state.target.description.length > 2000)
      problems.push({ step: 2, at: 'description', code: 'tooLong', values: { max: 2000 } });
  }
  return problems;
}

/**
 * The derivation request, or every problem of every step. Fields left as they are ("keep") are not sent:
 * the server keeps what the plan does not name. Sensitive attributes the plan removes are not sent either,
 * since there is nothing left to assess.
 */
export function derivationRequest(
  resourceId: string,
  state: WizardState,
): { ok: true; request: DerivationRequest } | { ok: false; problems: WizardProblem[] } {
  const problems = [...stepProblems(state, 0), ...stepProblems(state, 1), ...stepProblems(state, 2)];
  if (problems.length > 0) return { ok: false, problems };
  const fields: Record<string, TransformSpec> = {};
  for (const field of state.order) {
    const plan = state.fields[field];
    if (plan === undefined || plan.kind === 'keep') continue;
    fields[field] = transformOf(field, plan) as TransformSpec;
  }
  const sensitive = state.sensitive.filter((s) => !removed(state.fields[s]));
  const description = state.target.description.trim();
  const { k, maxSharePercent } = state.suppression;
  return {
    ok: true,
    request: {
      sourceResourceId: resourceId,
      target: {
        entryCode: state.target.entryCode.trim(),
        name: state.target.name.trim(),
        ...(description === '' ? {} : { description }),
      },
      fields,
      ...(state.suppression.enabled && k !== null && maxSharePercent !== null
        ? { suppression: { k, maxShare: maxSharePercent / 100 } }
        : {}),
      risk: {
        quasiIdentifiers: state.order.filter((f) => state.quasiIdentifiers.includes(f)),
        ...(sensitive.length === 0 ? {} : { sensitive: state.order.filter((f) => sensitive.includes(f)) }),
        scenario: state.scenario,
      },
    },
  };
}

/**
 * The search for the best generalisation: the quasi-identifiers that are generalised with a usable
 * hierarchy, the scenario's k (at least 2) and l, and the suppression allowed. Quasi-identifiers without
 * a hierarchy are left out of the search (listed in `skipped`).
 */
export function searchRequest(
  resourceId: string,
  state: WizardState,
  thresholds: RiskThresholds | undefined,
): { ok: true; request: SearchRequest; skipped: string[] } | { ok: false; problems: WizardProblem[] } {
  const hierarchies: Record<string, HierarchySpec> = {};
  const problems: WizardProblem[] = [];
  const skipped: string[] = [];
  for (const field of state.order) {
    if (!state.quasiIdentifiers.includes(field)) continue;
    const plan = state.fields[field];
    if (plan?.kind !== 'generalize') {
      skipped.push(field);
      continue;
    }
    const spec = hierarchyOf(field, plan);
    if (isProblem(spec)) problems.push(spec);
    else hierarchies[field] = spec;
  }
  if (problems.length > 0) return { ok: false, problems };
  if (Object.keys(hierarchies).length === 0)
    return { ok: false, problems: [{ step: 1, at: 'quasiIdentifiers', code: 'noHierarchies' }] };
  const suppressionK = state.suppression.enabled ? (state.suppression.k ?? 0) : 0;
  const k = Math.max(2, thresholds?.k ?? 2, suppressionK);
  const sensitive = state.sensitive.filter(
    (s) => !removed(state.fields[s]) && !state.quasiIdentifiers.includes(s),
  );
  const l = thresholds?.l;
  const share = state.suppression.enabled ? (state.suppression.maxSharePercent ?? 0) / 100 : 0;
  return {
    ok: true,
    skipped,
    request: {
      resourceId,
      hierarchies,
      k,
      ...(l !== undefined && l >= 2 && sensitive.length > 0 ? { l, sensitive } : {}),
      maxSuppression: Math.min(1, Math.max(0, share)),
    },
  };
}

/** The wizard with the levels the search found filled in (fields it did not cover are unchanged). */
export function withLevels(state: WizardState, levels: Record<string, number>): WizardState {
  const fields = { ...state.fields };
  for (const [field, level] of Object.entries(levels)) {
    const plan = fields[field];
    if (plan !== undefined && plan.kind === 'generalize') fields[field] = { ...plan, level };
  }
  return { ...state, fields };
}

/** The wizard with one field's plan changed. */
export function withField(state: WizardState, field: string, change: Partial<FieldPlan>): WizardState {
  const plan = state.fields[field] ?? defaultFieldPlan();
  return { ...state, fields: { ...state.fields, [field]: { ...plan, ...change } } };
}

/**
 * Places the server's field errors (`/fields/age`, `/risk/quasiIdentifiers/1`, `/target/name`) on the
 * wizard's steps, so each is shown next to the control it concerns; others belong to no step.
 */
export function serverProblemStep(path: string): { step: 0 | 1 | 2; at: string } | undefined {
  const parts = path.split('/').filter((p) => p !== '' && p !== 'body');
  const [head, second] = parts;
  if (head === 'fields' && second !== undefined) return { step: 0, at: decodeURIComponent(second) };
  if (head === 'risk' && (second === 'quasiIdentifiers' || second === 'sensitive')) {
    return { step: 1, at: second };
  }
  if (head === 'risk' || head === 'suppression')
    return { step: 1, at: head === 'risk' ? 'scenario' : 'suppression' };
  if (head === 'target' && (second === 'entryCode' || second === 'name' || second === 'description'))
    return { step: 2, at: second };
  return undefined;
}
