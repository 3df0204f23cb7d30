import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface MetricsSources {
  jobQueue: () => Promise<{ queued: number; running: number }>;
  pool: () => { total: number; idle: number; waiting: number } | undefined;
  ledgerSize: () => Promise<number>;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics of this process; each API process serves its own, as Prometheus expects. */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'datapolis_' });

  const http = requestMetrics();
  registry.registerMetric(http.requests as never);
  registry.registerMetric(http.duration as never);
  new Gauge({
    name: 'datapolis_jobs',
    help: 'Background jobs waiting or running',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const depth = await sources.jobQueue();
      this.set({ status: 'queued' }, depth.queued);
      this.set({ status: 'running' }, depth.running);
    },
  });
  new Gauge({
    name: 'datapolis_db_pool_connections',
    help: 'Database pool connections (PostgreSQL only)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = sources.pool();
      if (pool === undefined) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
  new Gauge({
    name: 'datapolis_ledger_entries',
    help: 'Entries in the transparency log',
    registers: [registry],
    async collect() {
      this.set(await sources.ledgerSize());
    },
  });

  return {
    registry,
    /** `pattern` is the route's, not the URL (ids in paths would explode the label set); unset for 404s. */
    observe(request: FastifyRequest, reply: FastifyReply, pattern: string | undefined): void {
      http.observe(request.method, pattern ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    },
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** What prom-client's registry reads from a metric at scrape time. */
interface Scraped {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
}

interface Series {
  method: string;
  route: string;
  /** Requests by status code. */
  statuses: Map<number, number>;
  /** Observations of each bucket (not cumulative), then those above the last bound. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * The request counter and latency histogram, in the shape prom-client's registry reads from its own
 * Counter and Histogram (the same text at scrape time). Counted in plain numbers looked up by route and
 * method: prom-client's own metrics validate and join the label values into a key on every observation.
 */
function requestMetrics() {
  const byRoute = new Map<string, Map<string, Series>>();
  // In the order series appeared, as prom-client lists them.
  const all: Series[] = [];
  const counts: { series: Series; status: number }[] = [];

  function observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let series = byMethod.get(method);
    if (series === undefined) {
      series = {
        method,
        route,
        statuses: new Map(),
        buckets: BUCKETS.map(() => 0).concat(0),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, series);
      all.push(series);
    }
    const seen = series.statuses.get(status);
    if (seen === undefined) counts.push({ series, status });
    series.statuses.set(status, (seen ?? 0) + 1);
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket += 1;
    series.buckets[bucket]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  function reset(): void {
    byRoute.clear();
    all.length = 0;
    counts.length = 0;
  }

  const requests = {
    name: 'datapolis_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    type: 'counter',
    aggregator: 'sum',
    reset,
    async get(): Promise<Scraped> {
      return {
        name: requests.name,
        help: requests.help,
        type: 'counter',
        aggregator: 'sum',
        values: counts.map(({ series, status }) => ({
          labels: { method: series.method, route: series.route, status: String(status) },
          value: series.statuses.get(status) ?? 0,
        })),
      };
    },
  };

  const duration = {
    name: 'datapolis_http_request_duration_seconds',
    help: 'HTTP request latency',
    type: 'histogram',
    aggregator: 'sum',
    reset,
    async get(): Promise<Scraped> {
      const name = duration.name;
      const values: Scraped['values'] = [];
      for (const series of all) {
        const labels = { method: series.method, route: series.route };
        let cumulative = 0;
        BUCKETS.forEach((bound, i) => {
          cumulative += series.buckets[i]!;
          values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push(
          { labels: { le: '+Inf', ...labels }, value: series.count, metricName: `${name}_bucket` },
          { labels, value: series.sum, metricName: `${name}_sum` },
          { labels, value: series.count, metricName: `${name}_count` },
        );
      }
      return { name, help: duration.help, type: 'histogram', aggregator: 'sum', values };
    },
  };

  return { observe, requests, duration };
}
