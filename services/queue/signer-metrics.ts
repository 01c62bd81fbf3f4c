import { formatEther } from "ethers";
import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { ChainWriter } from "../chain/chain-writer.js";
import { type MetricsServer, serveMetrics } from "./worker-metrics.js";

/**
 * A signer's gauges in `registry`, read from its writer at each scrape: its balance (from the node, so it is
 * never stale), whether that balance pays for fewer than SIGNER_LOW_BALANCE_TXS more transactions, and whether
 * its sends or replacements wait on fees above MAX_FEE_PER_GAS_GWEI. Every process that signs registers its own.
 */
export function registerSignerMetrics(registry: Registry, writer: ChainWriter): void {
  const signer = writer.address;
  const registers = [registry];
  new Gauge({
    name: "recircle_signer_balance_eth",
    help: "The signer's balance in ETH (the chain's native coin), read from the node at each scrape",
    labelNames: ["signer"],
    registers,
    async collect() {
      // A node that does not answer leaves the gauge out of this scrape rather than failing the others.
      const balance = await writer.balance.read().catch(() => undefined);
      if (balance === undefined) this.remove({ signer });
      else this.set({ signer }, Number(formatEther(balance)));
    },
  });
  new Gauge({
    name: "recircle_signer_balance_low",
    help: "1 while the signer's balance would not pay SIGNER_LOW_BALANCE_TXS more transactions at current fees",
    labelNames: ["signer"],
    registers,
    collect() {
      this.set({ signer }, writer.balance.isLow ? 1 : 0);
    },
  });
  new Gauge({
    name: "recircle_fee_ceiling_blocked",
    help: "1 while the signer waits to send or replace because fees are above MAX_FEE_PER_GAS_GWEI",
    labelNames: ["signer"],
    registers,
    collect() {
      this.set({ signer }, writer.feeCeilingBlocked ? 1 : 0);
    },
  });
}

/**
 * The operator sender's own /metrics on 127.0.0.1:`port` (METRICS_PORT; unset: none): the process defaults and
 * its signer's gauges. The API that runs an operator in-process shows the same gauges at its GET /metrics.
 */
export async function serveSignerMetrics(writer: ChainWriter, port: number | undefined): Promise<MetricsServer | undefined> {
  if (port === undefined) return undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "recircle_" });
  registerSignerMetrics(registry, writer);
  return serveMetrics(registry, port);
}
