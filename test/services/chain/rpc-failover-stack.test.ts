import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FAULT_KINDS, type RpcProxy, startRpcProxy } from "../../../harness/lib/rpc-proxy.js";
import { createProvider } from "../../../services/chain/network.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { eventually, idempotencyKey } from "../../support/earn-fixtures.js";
import { sample } from "../../support/prometheus.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The service as configured with two RPC endpoints in front of the run's node: the preferred one down for the
 * whole run, the other dropping a fifth of the calls (429s, 5xx, closed connections, lost answers), then losing
 * the answer of half the transactions it passes to the node. Every drop-off must still be credited once, and every
 * payment settled once.
 */
const SEED = 20_261_202;
const node = createProvider(inject("chainUrl"));
let down: RpcProxy;
let faulty: RpcProxy;
let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  [down, faulty] = await Promise.all([
    startRpcProxy({ upstream: inject("chainUrl"), seed: SEED }),
    startRpcProxy({
      upstream: inject("chainUrl"),
      seed: SEED + 1,
      faults: { status429: 0.05, status5xx: 0.05, reset: 0.05, lostAnswer: 0.05, delay: 0.1, delayMs: 50 },
    }),
  ]);
  down.outage();
  stack = await startStack({ env: { CHAIN_RPC_URLS: `${down.url},${faulty.url}` } });
  worker = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
  await Promise.all([down?.close(), faulty?.close()]);
  node.destroy();
});

describe("the service over a down RPC endpoint and a faulty one", () => {
  it("credits every accepted drop-off exactly once and settles every payment once", async () => {
    expect(stack.config.chainRpcUrls).toEqual([down.url, faulty.url]);
    const scene = await paymentScene(stack, 10);
    const dropOffs: number[] = [];
    const payments: string[] = [];
    async function round(count: number, amounts: string[]) {
      for (let i = 0; i < count; i++) {
        const reply = await scene.point.api.post(
          "/v1/collections",
          { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 + dropOffs.length },
          idempotencyKey(),
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(202);
        dropOffs.push(reply.body.id as number);
      }
      for (const amount of amounts) {
        const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, amount, { nonces: scene.nonces });
        const reply = await anonymous(stack).post("/v1/payments", body);
        expect(reply.status, JSON.stringify(reply.body)).toBe(202);
        payments.push(reply.body.id as string);
      }
      for (const id of dropOffs) {
        await eventually(() => scene.point.api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed", 30_000);
      }
      for (const id of payments) {
        await eventually(() => asAdmin(stack).get(`/v1/payments/${id}`), (r) => r.body.status === "confirmed", 30_000);
      }
    }
    await round(8, ["1", "2"]);
    // Then the nasty one alone: half the transactions reach the node and their answer is lost.
    faulty.setFaults({ lostAnswer: 0.5, methods: ["eth_sendRawTransaction"] });
    await round(6, ["3"]);
    expect(faulty.stats().lostAnswer).toBeGreaterThan(0);

    // The chain, read from the node itself, not through the proxies.
    const token = RewardToken__factory.connect(scene.program.token, node);
    const credited = await token.queryFilter(token.filters.Credited(), stack.deployment.startBlock);
    const times = new Map<bigint, number>();
    for (const log of credited) times.set(log.args.eventId, (times.get(log.args.eventId) ?? 0) + 1);
    const events = await stack.sql<{ id: bigint }[]>`select id from events where program_id = ${scene.program.id}`;
    expect(events).toHaveLength(15);
    for (const event of events) expect(times.get(event.id)).toBe(1);
    expect(credited).toHaveLength(15);
    const paid = await token.queryFilter(token.filters.Transfer(scene.collector.address, scene.retailerWallet.address), stack.deployment.startBlock);
    expect(paid.map((log) => log.args.value).sort()).toEqual([parseUnits("1", 18), parseUnits("2", 18), parseUnits("3", 18)]);
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(parseUnits("6", 18));

    // Every call went to the second endpoint, and the faults were really there.
    expect(down.stats().forwarded).toBe(0);
    expect(FAULT_KINDS.reduce((sum, kind) => sum + faulty.stats()[kind], 0)).toBeGreaterThan(5);
    const metrics = await stack.app.inject({ method: "GET", url: "/metrics" });
    expect(sample(metrics.body, "recircle_rpc_failovers_total", { endpoint: down.url })).toBeGreaterThan(0);
    expect(sample(metrics.body, "recircle_rpc_requests_total", { endpoint: faulty.url })).toBeGreaterThan(20);
  });
});
