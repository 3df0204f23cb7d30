/**
 * The phases of one `loadNow`, told from its progress messages: the start of reading, the last "rows read"
 * (COPY done), and "live" (the switch committed; planner statistics follow).
 */
export interface IngestPhases {
  /** Checks and the version record, until reading starts. */
  startMs: number;
  /** Reading, validating and writing the rows while the file is stored, until COPY is done. */
  rowsMs: number;
  /** Primary key, declared indexes and the switch to live. */
  keysMs: number;
  /** From the start until the version is live. */
  liveMs: number;
  /** ANALYZE after the switch, until loadNow returns. */
  statsMs: number;
}

export function ingestPhases(): {
  progress: (done: number, total: number, message: string) => Promise<void>;
  finish(start: number, end: number): IngestPhases;
} {
  let reading = Number.NaN;
  let written = Number.NaN;
  let live = Number.NaN;
  return {
    async progress(_done, _total, message) {
      const now = performance.now();
      if (Number.isNaN(reading)) reading = now;
      else if (message.endsWith('rows read')) written = now;
      else if (message.startsWith('live')) live = now;
    },
    finish(start, end) {
      if (Number.isNaN(live)) throw new Error('loadNow never said the version was live');
      return {
        startMs: reading - start,
        rowsMs: written - reading,
        keysMs: live - written,
        liveMs: live - start,
        statsMs: end - live,
      };
    },
  };
}
