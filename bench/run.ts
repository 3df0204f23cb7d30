// Runs the benchmarks and rewrites docs/benchmarks.md from their results.
//   npm run bench [-- --only ledger,proofs,http,catalog,datastore,access,scan,deid] [--quick] [--engines pglite,postgres] [--out file]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { accessBench } from './access.bench.ts';
import { catalogBench } from './catalog.bench.ts';
import { datastoreBench } from './datastore.bench.ts';
import { httpBench } from './http.bench.ts';
import { ledgerAppendBench } from './ledger-append.bench.ts';
import { proofsBench } from './proofs.bench.ts';
import { deidBench } from './security-deid.bench.ts';
import { securityScanBench } from './security-scan.bench.ts';
import type { BenchContext } from './support/context.ts';
import { disposeAll, type Engine, postgresReachable } from './support/database.ts';
import {
  describeMachine,
  machineLine,
  type QuietCheck,
  stealMeter,
  waitForQuiet,
} from './support/machine.ts';
import { log } from './support/measure.ts';
import { ROOT, WORK_DIR } from './support/paths.ts';
import { BENCH_IDS, type BenchId, type Section, writeReport } from './support/report.ts';

const BENCHES: Record<BenchId, (ctx: BenchContext) => Promise<Section>> = {
  ledger: ledgerAppendBench,
  proofs: proofsBench,
  http: httpBench,
  catalog: catalogBench,
  datastore: datastoreBench,
  access: accessBench,
  scan: securityScanBench,
  deid: deidBench,
};

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

function listOption<T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T[] {
  if (raw === undefined) return [...allowed];
  const items = raw.split(',').map((s) => s.trim());
  const unknown = items.filter((s) => !allowed.includes(s as T));
  if (unknown.length > 0)
    throw new Error(`--${name}: unknown ${unknown.join(', ')}; use ${allowed.join(', ')}`);
  return items as T[];
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** How busy the machine was with other work just before each measurement (the benchmark idle meanwhile). */
function quietNote(
  checks: readonly (QuietCheck & { label: string })[],
  settleSeconds: number,
  cpus: number,
  steal: number | undefined,
): string {
  const stolen =
    steal === undefined
      ? ''
      : ` While this section ran, the hypervisor gave ${pct(steal)} of the cores' time to other machines (steal time in /proc/stat): a measurement waiting for its core meanwhile is slower whatever the code does, and it shows in the tails.`;
  if (checks.length === 0) return `The machine was not checked for other work in this run.${stolen}`;
  const worst = checks.reduce((a, b) => (b.busy > a.busy ? b : a));
  const waited = checks.reduce((sum, c) => sum + c.waitedMs, 0);
  const busy = checks.filter((c) => c.busy > 0.2);
  return (
    `Other work on the machine, sampled before each of ${checks.length} measurements while the benchmark idled ` +
    `(waiting up to ${settleSeconds} s for it to fall under 20 % of the ${cpus} cores): at most ${pct(worst.busy)} (${worst.label}); ` +
    `${(waited / 1000).toFixed(0)} s waited in all` +
    (busy.length > 0
      ? `; **${busy.length} measurement(s) ran while the machine was busy with other work** (${busy.map((c) => c.label).join(', ')}): treat those figures with care.`
      : '.') +
    stolen
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      engines: { type: 'string' },
      out: { type: 'string' },
      settle: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm run bench -- [--only ledger,proofs,http,catalog,datastore,access,scan,deid] [--quick] [--engines pglite,postgres] [--out file] [--settle seconds]\n',
    );
    return;
  }
  const only = listOption(values.only, BENCH_IDS, 'only');
  const wanted = listOption<Engine>(values.engines, ['pglite', 'postgres'], 'engines');
  const quick = values.quick;
  const out =
    values.out ?? (quick ? join(WORK_DIR, 'benchmarks.quick.md') : join(ROOT, 'docs/benchmarks.md'));
  const adminUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES;
  const settleSeconds = Number(values.settle ?? (quick ? 0 : 120));
  if (!Number.isFinite(settleSeconds) || settleSeconds < 0) throw new Error('--settle: seconds, 0 or more');
  let checks: (QuietCheck & { label: string })[] = [];

  const engineNotes: string[] = [];
  const engines = [...wanted];
  if (engines.includes('postgres') && !(await postgresReachable(adminUrl))) {
    engines.splice(engines.indexOf('postgres'), 1);
    engineNotes.push(
      `_PostgreSQL was not reachable at ${new URL(adminUrl).host} in this run: no PostgreSQL figures._`,
    );
    log(`PostgreSQL not reachable at ${new URL(adminUrl).host}; measuring PGlite only`);
  }
  const machine = await describeMachine(engines.includes('postgres') ? adminUrl : undefined);
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ctx: BenchContext = {
    quick,
    engines,
    adminUrl,
    measured: `Measured ${date} UTC${quick ? ' (quick smoke run, small sizes)' : ''} on ${machineLine(machine)}.`,
    engineNotes,
    async settle(label) {
      const check = await waitForQuiet(settleSeconds * 1000, settleSeconds === 0 ? 200 : 1000);
      checks.push({ ...check, label });
      if (check.busy > 0.2)
        log(
          `${label}: the machine is busy with other work (${pct(check.busy)} of the CPU); measuring anyway`,
        );
    },
  };
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const sections = new Map<BenchId, Section>();
  const started = performance.now();
  for (const id of only) {
    const begin = performance.now();
    log(`${id}: start`);
    checks = [];
    const steal = stealMeter();
    const section = await BENCHES[id](ctx);
    section.notes.push(quietNote(checks, settleSeconds, machine.cpus, steal()));
    sections.set(id, section);
    log(`${id}: done in ${((performance.now() - begin) / 1000).toFixed(0)} s`);
    // Written after each benchmark, so the figures measured so far survive a failure later on.
    writeReport({ file: out, machine, date: `${date} UTC`, command, sections });
  }
  log(`all done in ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${out}`);
}

const interrupt = () => {
  log('interrupted: dropping throwaway databases');
  void disposeAll().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
} finally {
  await disposeAll();
}
