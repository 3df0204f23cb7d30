import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from './paths.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string | undefined;
  postgresSettings: string | undefined;
  pglite: string;
  /** The commit measured, and whether the packages had uncommitted changes. */
  code: string;
}

function describeCode(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const commit = git('log', '-1', '--format=%h %s');
    const dirty = git('status', '--porcelain', '--', 'packages').length > 0;
    return `commit ${commit}${dirty ? ' (with uncommitted changes in packages/)' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function packageVersion(name: string): string {
  const text = readOr(join(ROOT, 'node_modules', name, 'package.json'), '{}');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}

/** What the figures were measured on: cores, CPU, memory, OS, Node, PostgreSQL and PGlite versions. */
export async function describeMachine(postgresUrl: string | undefined): Promise<Machine> {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const osRelease = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release', ''))?.[1] ?? os.type();
  let postgres: string | undefined;
  let postgresSettings: string | undefined;
  if (postgresUrl !== undefined) {
    const client = new pg.Client({ connectionString: postgresUrl });
    try {
      await client.connect();
      const version = await client.query<{ server_version: string }>('SHOW server_version');
      postgres = `PostgreSQL ${version.rows[0]!.server_version}`;
      const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings
          WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_connections')
          ORDER BY name`,
      );
      postgresSettings = settings.rows
        .map((s) =>
          s.name === 'shared_buffers'
            ? `shared_buffers=${Number(s.setting) / 128} MB`
            : `${s.name}=${s.setting}`,
        )
        .join(', ');
    } catch {
      postgres = undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${osRelease}, Linux ${os.release()}`,
    node: process.version,
    postgres,
    postgresSettings,
    pglite: `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL 18 in WebAssembly)`,
    code: describeCode(),
  };
}

/** One line for the head of each section, so a section kept from an earlier run still says where it ran. */
export function machineLine(machine: Machine): string {
  const pgPart = machine.postgres ?? 'no PostgreSQL';
  return `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${pgPart}, ${machine.pglite.split(' (')[0]}, Node ${machine.node}; ${machine.code}`;
}

/** Time of all cores so far, in clock ticks; `steal` is undefined where the kernel does not report it. */
function cpuTimes(): { busy: number; total: number; steal: number | undefined } {
  const line = readOr('/proc/stat', '').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4) {
    const cpus = os.cpus();
    let busy = 0;
    let total = 0;
    for (const cpu of cpus) {
      const t = cpu.times;
      busy += t.user + t.nice + t.sys + t.irq;
      total += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return { busy, total, steal: undefined };
  }
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const own = fields.slice(0, 8);
  const idle = (own[3] ?? 0) + (own[4] ?? 0);
  const total = own.reduce((sum, v) => sum + v, 0);
  return { busy: total - idle, total, steal: own[7] };
}

/**
 * Starts measuring steal: the time the hypervisor of a virtual machine gave this machine's cores to other
 * machines while they had work to do. The returned function tells its share of all cores' time since the
 * start, or undefined where the kernel does not report it. A measurement waiting for its core meanwhile is
 * slower by that much, whatever the code does: it shows in the tail latencies.
 */
export function stealMeter(): () => number | undefined {
  const before = cpuTimes();
  return () => {
    const after = cpuTimes();
    const total = after.total - before.total;
    if (before.steal === undefined || after.steal === undefined || total <= 0) return undefined;
    return (after.steal - before.steal) / total;
  };
}

/** Share of all cores busy during `sampleMs` while this process waits: other work on the machine. */
export async function busyShare(sampleMs = 1000): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total <= 0 ? 0 : (after.busy - before.busy) / total;
}

export interface QuietCheck {
  busy: number;
  waitedMs: number;
}

/**
 * Waits (at most `maxWaitMs`) until the machine is nearly idle while the benchmark itself idles, so that
 * other work (test suites, builds) does not share the cores with a measurement. Returns what it saw.
 */
export async function waitForQuiet(maxWaitMs: number, sampleMs = 1000, threshold = 0.2): Promise<QuietCheck> {
  const start = performance.now();
  let busy = await busyShare(sampleMs);
  while (busy > threshold && performance.now() - start < maxWaitMs) busy = await busyShare(2000);
  return { busy, waitedMs: performance.now() - start };
}
