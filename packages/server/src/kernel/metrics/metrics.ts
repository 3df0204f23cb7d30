import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

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

  const requests = new Counter({
    name: 'datapolis_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'datapolis_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
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
      const route = pattern ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    },
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
