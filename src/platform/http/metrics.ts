import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Prometheus metrics: process figures and requests by route pattern (never by raw path). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "komma_" });
  const requests = new Counter({
    name: "komma_http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "komma_http_request_duration_seconds",
    help: "HTTP request duration by route pattern",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    contentType: registry.contentType,
    observe(method: string, route: string, status: number, elapsedMs: number) {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, elapsedMs / 1000);
    },
    render: () => registry.metrics(),
  };
}
