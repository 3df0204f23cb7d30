import type { Engine } from './database.ts';

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  quick: boolean;
  engines: readonly Engine[];
  /** A PostgreSQL server where CREATE DATABASE works; only used when engines include postgres. */
  adminUrl: string;
  /** "Measured <date> on <machine>" for the head of each section. */
  measured: string;
  /** Said once per section when an engine was asked for but is not available. */
  engineNotes: readonly string[];
  /** Waits (bounded) for other work on the machine to stop before a measurement, and remembers what it saw. */
  settle(label: string): Promise<void>;
}
