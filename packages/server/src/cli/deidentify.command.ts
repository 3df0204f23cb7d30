import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { openTableSource } from '../modules/datastore/index.ts';
import {
  applyPlan,
  assessRisk,
  type DeidPlan,
  dateHierarchy,
  type Hierarchy,
  numericRangeHierarchy,
  parseHierarchyCsv,
  type RiskReport,
  regionHierarchy,
  SCENARIOS,
  type Scenario,
  searchOptimal,
  type Table,
  type Transform,
} from '../modules/security/deid/index.ts';
import { print } from './context.ts';

/** Reads a whole table file (any format the datastore reads) as text cells, empty cells as null. */
export async function readTable(file: string, delimiter?: string): Promise<Table> {
  const source = await openTableSource(file, delimiter === undefined ? {} : { delimiter });
  const rows: (string | null)[][] = [];
  const width = source.info.labels.length;
  const add = (cells: unknown[]) => {
    const row: (string | null)[] = new Array(width);
    for (let i = 0; i < width; i++) {
      const v = cells[i];
      row[i] = v === undefined || v === null || v === '' ? null : String(v);
    }
    rows.push(row);
  };
  if (source.batches !== undefined)
    for await (const batch of source.batches) for (const r of batch) add(r.cells);
  else for await (const r of source.rows) add(r.cells);
  return { columns: source.info.labels, rows };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    );
  }
}

function csvCell(value: string | null, delimiter: string): string {
  if (value === null) return '';
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

function toCsv(table: Table, delimiter = ','): string {
  const lines = [table.columns, ...table.rows].map((row) =>
    row.map((v) => csvCell(v, delimiter)).join(delimiter),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A plan file is a DeidPlan in JSON where a generalisation's hierarchy is given as a path to an ARX-style
 * CSV (relative to the plan), {"path", "delimiter"}, {"ranges": [5, 10, 20]}, {"dates": ["month", "year"]} or {"regions": true}.
 */
function resolvePlan(raw: unknown, planDir: string, table: Table): DeidPlan {
  if (raw === null || typeof raw !== 'object' || typeof (raw as { fields?: unknown }).fields !== 'object')
    throw new Error('the plan must be a JSON object with a "fields" object: field name -> transformation.');
  const plan = raw as {
    fields: Record<string, Record<string, unknown>>;
    suppression?: DeidPlan['suppression'];
  };
  const fields: Record<string, Transform> = {};
  for (const [field, t] of Object.entries(plan.fields)) {
    if (t?.kind !== 'generalize') {
      fields[field] = t as unknown as Transform;
      continue;
    }
    const index = table.columns.indexOf(field);
    const values = () =>
      table.rows.map((row) => row[index]).filter((v): v is string => v !== null && v !== undefined);
    const spec = t.hierarchy;
    let hierarchy: Hierarchy;
    if (typeof spec === 'string' || (spec !== null && typeof spec === 'object' && 'path' in spec)) {
      const { path, delimiter } =
        typeof spec === 'string'
          ? { path: spec, delimiter: undefined }
          : (spec as { path: string; delimiter?: string });
      hierarchy = parseHierarchyCsv(readText(resolve(planDir, path), 'hierarchy'), {
        attribute: field,
        ...(delimiter === undefined ? {} : { delimiter }),
      });
    } else if (
      spec !== null &&
      typeof spec === 'object' &&
      Array.isArray((spec as { ranges?: unknown }).ranges)
    )
      hierarchy = numericRangeHierarchy(index < 0 ? [] : values(), (spec as { ranges: number[] }).ranges);
    else if (spec !== null && typeof spec === 'object' && (spec as { regions?: unknown }).regions === true)
      hierarchy = regionHierarchy(index < 0 ? [] : values());
    else if (spec !== null && typeof spec === 'object' && Array.isArray((spec as { dates?: unknown }).dates))
      hierarchy = dateHierarchy(
        index < 0 ? [] : values(),
        (spec as { dates: ('month' | 'year' | 'decade')[] }).dates,
      );
    else
      throw new Error(
        `field "${field}": a generalisation's hierarchy is a CSV path, {"path": ...}, {"ranges": [...]}, {"dates": [...]} or {"regions": true}.`,
      );
    fields[field] = { kind: 'generalize', hierarchy, level: t.level as number };
  }
  return { fields, ...(plan.suppression === undefined ? {} : { suppression: plan.suppression }) };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, not "${value}".`);
  return n;
}

function share(value: string, name: string): number {
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new Error(`${name} must be a share from 0 to 1 (or a percentage), not "${value}".`);
  return n;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function printReport(report: RiskReport): void {
  print(
    `records ${report.records}, equivalence classes ${report.classes}, smallest class k = ${report.k}, average size ${fmt(report.averageClassSize)}`,
  );
  print(`unique records: ${fmt(report.uniqueShare * 100)} %`);
  print(
    `prosecutor risk: highest ${fmt(report.prosecutor.highest)}, average ${fmt(report.prosecutor.average)}, records above ${fmt(report.prosecutor.threshold)}: ${fmt(report.prosecutor.recordsAtRisk * 100)} %`,
  );
  print(
    `journalist risk (${report.journalist.model}, population ${report.journalist.population}): highest ${fmt(report.journalist.highest)}, average ${fmt(report.journalist.average)}, records above ${fmt(report.journalist.threshold)}: ${fmt(report.journalist.recordsAtRisk * 100)} %`,
  );
  print(`marketer risk: ${fmt(report.marketer)}`);
  for (const [name, l] of Object.entries(report.lDiversity ?? {}))
    print(
      `"${name}": distinct l = ${l.distinct}, entropy l = ${fmt(l.entropy)}, t-closeness ${fmt(report.tCloseness?.[name] ?? 0)}`,
    );
  for (const note of report.notes) print(`note: ${note}`);
  if (report.pass !== undefined) {
    print(`${report.scenario ?? 'thresholds'}: ${report.pass ? 'PASS' : 'FAIL'}`);
    for (const failure of report.failures) print(`  - ${failure}`);
  }
}

export function deidentifyCommands(program: Command): void {
  program
    .command('deidentify')
    .description('De-identify a table file with a plan (per-field transformations, record suppression)')
    .argument('<file>', 'CSV, TSV, XLSX, JSON or NDJSON file')
    .requiredOption('--plan <file>', 'the plan, JSON: {"fields": {...}, "suppression": {...}}')
    .option('--out <file>', 'write the de-identified CSV here (standard output otherwise)')
    .option('--key-file <file>', 'the secret key of keyed hashing (its bytes; 16 or more)')
    .option('--release <id>', 'release id: pseudonyms are stable within a release (a new id otherwise)')
    .option('--seed <n>', 'seed for noise, to reproduce it')
    .option('--lineage <file>', 'write the lineage (transformations and parameters, never the key) as JSON')
    .option('--delimiter <char>', 'CSV delimiter of the input (detected when left out)')
    .action(
      async (
        file: string,
        options: {
          plan: string;
          out?: string;
          keyFile?: string;
          release?: string;
          seed?: string;
          lineage?: string;
          delimiter?: string;
        },
      ) => {
        const table = await readTable(file, options.delimiter);
        const plan = resolvePlan(
          parseJson(readText(options.plan, 'plan'), `plan ${options.plan}`),
          dirname(resolve(options.plan)),
          table,
        );
        let hmacKey: Buffer;
        if (options.keyFile !== undefined) {
          try {
            hmacKey = readFileSync(options.keyFile);
          } catch (error) {
            throw new Error(
              `cannot read key file ${options.keyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
            );
          }
        } else {
          // Without a key the pseudonyms cannot be reproduced by anyone, which is safe but final.
          hmacKey = randomBytes(32);
          if (Object.values(plan.fields).some((t) => t.kind === 'hash'))
            process.stderr.write(
              'note: no --key-file: pseudonyms use a throwaway key and cannot be reproduced.\n',
            );
        }
        const seed = options.seed === undefined ? undefined : Number(options.seed);
        if (seed !== undefined && !Number.isFinite(seed))
          throw new Error(`--seed must be a number, not "${options.seed}".`);
        const releaseId = options.release ?? randomUUID();
        const result = applyPlan(table, plan, {
          hmacKey,
          releaseId,
          ...(seed === undefined ? {} : { seed }),
        });
        const csv = toCsv(result.table);
        if (options.lineage !== undefined)
          writeFileSync(options.lineage, `${JSON.stringify(result.lineage, null, 2)}\n`);
        const summary = `De-identified ${table.rows.length} records into ${result.table.rows.length} (${result.recordsSuppressed} suppressed), release ${releaseId}.`;
        if (options.out !== undefined) {
          writeFileSync(options.out, csv);
          print(summary);
        } else {
          process.stdout.write(csv);
          process.stderr.write(`${summary}\n`);
        }
      },
    );

  program
    .command('risk')
    .description(
      'Re-identification risk of a table file; with --search, the least-loss k-anonymous generalisation',
    )
    .argument('<file>', 'CSV, TSV, XLSX, JSON or NDJSON file')
    .requiredOption('--qi <fields>', 'quasi-identifiers, comma-separated')
    .option('--sensitive <fields>', 'sensitive attributes, comma-separated (l-diversity, t-closeness)')
    .option('--scenario <scenario>', `judge against a scenario's thresholds: ${SCENARIOS.join(', ')}`)
    .option('--population <n>', 'size of the population the table was drawn from (journalist risk)')
    .option(
      '--hierarchy <qi=path>',
      'generalisation hierarchy of a quasi-identifier (ARX CSV); repeat per QI',
      collect,
      [],
    )
    .option('--search', 'search the generalisation levels that reach --k with the least information loss')
    .option('--k <n>', 'k of the search')
    .option('--l <n>', 'distinct l-diversity the search must also reach (needs --sensitive)')
    .option('--max-suppression <share>', 'share of records the search may suppress, e.g. 0.02 or 2%', '0')
    .option('--delimiter <char>', 'CSV delimiter of the input (detected when left out)')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        options: {
          qi: string;
          sensitive?: string;
          scenario?: string;
          population?: string;
          hierarchy: string[];
          search?: boolean;
          k?: string;
          l?: string;
          maxSuppression: string;
          delimiter?: string;
          json?: boolean;
        },
      ) => {
        if (options.scenario !== undefined && !SCENARIOS.includes(options.scenario as Scenario))
          throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}, not "${options.scenario}".`);
        const qis = list(options.qi);
        const sensitive = options.sensitive === undefined ? [] : list(options.sensitive);
        const population = positiveInteger(options.population, '--population');
        const k = positiveInteger(options.k, '--k');
        const l = positiveInteger(options.l, '--l');
        const maxSuppression = share(options.maxSuppression, '--max-suppression');
        const hierarchies: Record<string, Hierarchy> = {};
        for (const spec of options.hierarchy) {
          const at = spec.indexOf('=');
          if (at <= 0) throw new Error(`--hierarchy takes qi=path, not "${spec}".`);
          const qi = spec.slice(0, at);
          if (!qis.includes(qi)) throw new Error(`--hierarchy names "${qi}", which is not among --qi.`);
          hierarchies[qi] = parseHierarchyCsv(readText(spec.slice(at + 1), 'hierarchy'), { attribute: qi });
        }
        if (options.search === true) {
          if (k === undefined) throw new Error('--search needs --k.');
          const missing = qis.filter((q) => hierarchies[q] === undefined);
          if (missing.length > 0)
            throw new Error(
              `--search needs a --hierarchy for every quasi-identifier; missing: ${missing.join(', ')}.`,
            );
        }
        const table = await readTable(file, options.delimiter);
        const riskOptions = {
          quasiIdentifiers: qis,
          sensitive,
          ...(options.scenario === undefined ? {} : { scenario: options.scenario as Scenario }),
          ...(population === undefined ? {} : { population }),
        };
        const report = assessRisk(table, riskOptions);
        if (options.search !== true) {
          if (options.json === true) print(JSON.stringify(report, null, 2));
          else printReport(report);
          return;
        }
        const found = searchOptimal(table, {
          hierarchies: Object.fromEntries(qis.map((q) => [q, hierarchies[q]!])),
          k: k!,
          maxSuppression,
          ...(l === undefined ? {} : { l, sensitive }),
        });
        const after = assessRisk(found.table, riskOptions);
        if (options.json === true) {
          const { table: _table, report: _report, ...search } = found;
          print(JSON.stringify({ before: report, search, after }, null, 2));
          return;
        }
        print('Before:');
        printReport(report);
        print('');
        print(
          `Search (k = ${k}${l === undefined ? '' : `, l = ${l}`}, at most ${fmt(maxSuppression * 100)} % suppressed): ${found.nodesChecked} of ${found.latticeSize} lattice nodes checked`,
        );
        print(
          `levels: ${Object.entries(found.levels)
            .map(([q, level]) => `${q}=${level}`)
            .join(', ')}`,
        );
        print(
          `records suppressed: ${found.recordsSuppressed}; information loss ${fmt(found.infoLoss)} (${found.metric})`,
        );
        print('');
        print('After:');
        printReport(after);
      },
    );
}
