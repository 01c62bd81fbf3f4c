import { Counter, type Registry } from "prom-client";
import type { EndpointStats, FailoverProvider } from "./failover-provider.js";

/**
 * The failover provider's counts per RPC endpoint, read at scrape time: requests sent, attempts that failed
 * (timeouts, 429s, 5xx, closed connections), and failovers away from it. The endpoint label is its origin,
 * never its path, where a provider's API key often sits.
 */
export function registerRpcMetrics(registry: Registry, provider: FailoverProvider): void {
  const counter = (name: string, help: string, field: keyof Omit<EndpointStats, "endpoint">) =>
    new Counter({
      name,
      help,
      labelNames: ["endpoint"],
      registers: [registry],
      collect() {
        this.reset();
        for (const stats of provider.stats()) this.inc({ endpoint: stats.endpoint }, stats[field]);
      },
    });
  counter("recircle_rpc_requests_total", "JSON-RPC requests (a batch counts once) sent to each RPC endpoint", "requests");
  counter("recircle_rpc_failures_total", "Requests to each RPC endpoint that timed out, were refused (429, 5xx) or lost their connection", "failures");
  counter("recircle_rpc_failovers_total", "Times each RPC endpoint failed and the next one took over", "failovers");
}
