import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Process metrics (CPU, memory, event loop, GC) are collected once per process and shown by every service. */
let processRegistry: Registry | undefined;

function getProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Prometheus text: this service's metrics plus the process's. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    async render() {
      const [own, proc] = await Promise.all([registry.metrics(), getProcessRegistry().metrics()]);
      return { contentType: registry.contentType, body: `${own}\n${proc}` };
    },
  };
}
