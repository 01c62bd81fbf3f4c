import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { startPaymentWorker } from "../../../services/queue/payment-worker.js";
import { createWorkerMetrics, serveWorkerMetrics, type MetricsServer } from "../../../services/queue/worker-metrics.js";
import { eventually } from "../../support/earn-fixtures.js";
import { startInProcessWorker } from "../../support/in-process-worker.js";
import { anonymous, asAdmin, paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { sample } from "../../support/prometheus.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;
let server: MetricsServer | undefined;
const metrics = createWorkerMetrics();
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50", METRICS_PORT: "0" } });
  // As workers/payments.ts wires it: the worker reports to its registry, which METRICS_PORT serves.
  worker = await startInProcessWorker(stack, DEV_WORKER_KEYS[0]!, (deps) => startPaymentWorker({ ...deps, metrics }));
  server = await serveWorkerMetrics(metrics, stack.config.metricsPort);
});
afterAll(async () => {
  await server?.close();
  await worker?.close();
  await stack?.close();
});

describe("a worker's metrics endpoint", () => {
  it("serves the payment worker's batch sizes, gas and settle latency on 127.0.0.1 once a batch settled", async () => {
    expect(stack.config.metricsPort).toBe(0);
    expect(server?.port).toBeGreaterThan(0);
    const scene = await paymentScene(stack);
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");

    const response = await fetch(`http://127.0.0.1:${server!.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(sample(text, "recircle_payment_batch_size_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "recircle_payment_gas_used_total")).toBeGreaterThan(21_000);
    expect(sample(text, "recircle_payment_settle_seconds_count", { status: "included" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "recircle_redemptions_total")).toBeUndefined();

    expect((await fetch(`http://127.0.0.1:${server!.port}/other`)).status).toBe(404);
  });

  it("serves nothing when METRICS_PORT is unset", async () => {
    expect(await serveWorkerMetrics(metrics, undefined)).toBeUndefined();
  });
});
