import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APPLICANT_KINDS,
  APPLICATION_KINDS,
  APPLICATION_STATES,
  GRANT_STATES,
  HISTORY_ACTIONS,
  OPERATIONS,
} from '../src/features/access/access-types.ts';
import { APPLY_STEPS } from '../src/features/access/apply-form.ts';
import { ITEM_PROGRESS, PLAN_OPEN_TYPES, PLAN_STATES } from '../src/features/opening/opening-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const catalogs = { 'zh-CN': zhCN, en, fr } as Record<string, unknown>;

/** The text of a key, or of its plural forms, in one catalog. */
function has(catalog: unknown, key: string): boolean {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  const parent = parts.reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog) as
    | Record<string, unknown>
    | undefined;
  if (parent === undefined) return false;
  return typeof parent[last] === 'string' || typeof parent[`${last}_other`] === 'string';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('texts of the access, notification and opening pages', () => {
  it('exist in zh-CN, en and fr for every key the pages name literally', () => {
    const files = [
      ...sourceFiles(join(SRC, 'features/access')),
      ...sourceFiles(join(SRC, 'features/opening')),
      join(SRC, 'app/user-menu.tsx'),
    ];
    const keys = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /['"]((?:access|opening|notifications)\.[\w.]+)['"]/g,
      ))
        keys.add(m[1] ?? '');
    }
    expect(keys.size).toBeGreaterThan(150);
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = [...keys].filter((k) => !has(catalog, k));
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });

  it('name every state, kind, step, operation and progress the pages build keys for', () => {
    const built = [
      ...APPLICATION_STATES.map((s) => `access.states.${s}`),
      ...GRANT_STATES.map((s) => `access.grantStates.${s}`),
      ...HISTORY_ACTIONS.map((a) => `access.history.${a}`),
      ...APPLICATION_KINDS.map((k) => `access.kinds.${k}`),
      ...APPLICANT_KINDS.map((k) => `access.applicantKinds.${k}`),
      ...OPERATIONS.flatMap((o) => [`access.operations.${o}`, `access.operationHelp.${o}`]),
      ...APPLY_STEPS.map((s) => `access.apply.steps.${s}`),
      ...['daysLeft', 'hoursLeft', 'overdueDays', 'overdueHours', 'ended'].map((k) => `access.time.${k}`),
      ...['approve', 'reject', 'ask'].flatMap((d) => [
        `access.review.decisions.${d}`,
        `access.review.commentLabels.${d}`,
      ]),
      ...['approve', 'reject'].map((d) => `access.review.confirm.${d}`),
      ...[
        'required',
        'organizationRequired',
        'creditCodeRequired',
        'creditCodeInvalid',
        'fieldsRequired',
        'operationsRequired',
        'dateRequired',
        'periodOrder',
        'periodTooLong',
        'termsRequired',
        'termsMissing',
        'institutionOnly',
      ].map((k) => `access.apply.invalid.${k}`),
      ...[
        'reasonRequired',
        'questionRequired',
        'fieldsRequired',
        'onlyNarrow',
        'dateRequired',
        'afterStart',
        'onlyEarlier',
      ].map((k) => `access.review.invalid.${k}`),
      ...PLAN_STATES.map((s) => `opening.states.${s}`),
      ...ITEM_PROGRESS.map((p) => `opening.progress.${p}`),
      ...PLAN_OPEN_TYPES.map((o) => `opening.openTypes.${o}`),
      ...['dateRequired', 'conditionRequired', 'generic'].map((k) => `opening.editor.invalid.${k}`),
    ];
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = built.filter((k) => !has(catalog, k));
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });
});
