import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseUnits, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnvilNode, ANVIL_CHAIN_ID, startAnvil, stopAnvil } from "../../../harness/lib/anvil.js";
import { freePort } from "../../../harness/lib/isolated-run.js";
import { verifyFundFlow } from "../../../scripts/verify-fund-flow.js";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, signPayment } from "../../support/payment-fixtures.js";
import { governance, signRedemption, stablecoin, tusd } from "../../support/redemption-fixtures.js";
import { signDeposit, sponsorWithFunds } from "../../support/sponsor-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { exited, spawnWorker } from "../../support/worker-process.js";

// A block every 2 s: a step that waits for inclusion, then for the indexer's confirmations, takes blocks, not
// milliseconds. The services keep their own default timeouts; only the test waits at the chain's pace.
const BLOCKS = 2_000;
/** Polls for up to 20 blocks: inclusion, the operator's next batch, the indexer's confirmation. */
const onTheNetwork = <T>(probe: () => Promise<T>, check: (value: T) => boolean) => eventually(probe, check, 20 * BLOCKS);

let node: AnvilNode;
let folder: string;
let stack: Stack;
let workers: ReturnType<typeof spawnWorker>[] = [];
let apiUrl: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "recircle-anvil-"));
  node = await startAnvil({ port: await freePort(), stateDir: folder });
  stack = await startStack({ chainUrl: node.url, userDefaults: true, runOperator: false });
  // Outside chain 31337 nothing lends a dev key: each process is given its own, as a user must.
  workers = [
    spawnWorker(stack, "operator", {}),
    spawnWorker(stack, "payments", { PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0] }),
    spawnWorker(stack, "redemptions", { REDEMPTION_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[1] }),
    spawnWorker(stack, "indexer", {}),
  ];
  await stack.app.listen({ port: 0, host: "127.0.0.1" });
  apiUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
}, 60 * BLOCKS);
afterAll(async () => {
  for (const worker of workers) worker.kill("SIGTERM");
  await Promise.all(workers.map(exited));
  await stack?.close();
  if (node) await stopAnvil(node);
  if (folder) await rm(folder, { recursive: true, force: true });
}, 30 * BLOCKS);

describe("the whole stack on Anvil (chain 412346, a block every 2 s, a 30M block gas limit), as a user configures it", () => {
  it("deposit → drop-off credited → payment relayed → redemption paid from the vault → the fund flow matches the chain", async () => {
    expect(stack.chain.chainId).toBe(ANVIL_CHAIN_ID);
    expect(stack.config.chainConfirmations).toBe(1);
    const { program, point, collector } = await recyclingScene(stack);
    const token = stack.chain.token(program.token);

    // A sponsor deposits 10 tUSD through the API; the operator relays its two signatures.
    const sponsor = await sponsorWithFunds(stack, "10");
    const deposit = await sponsor.api.post("/v1/deposits", await signDeposit(stack, sponsor.wallet, program, "10"));
    expect(deposit.status, JSON.stringify(deposit.body)).toBe(201);

    // A collection point records 40 kg of PET: 100 tokens, credited on chain.
    const dropOff = await point.api.post(
      "/v1/collections",
      { programId: program.id, collector: collector.address, material: "PET", grams: 40_000 },
      idempotencyKey(),
    );
    expect(dropOff.status, JSON.stringify(dropOff.body)).toBe(202);
    const credited = await onTheNetwork(() => point.api.get(`/v1/collections/${dropOff.body.id}`), (r) => r.body.status === "confirmed");
    expect(await token.balanceOf(collector.address)).toBe(parseUnits("100", 18));

    // The collector pays a retailer 60 tokens; the payment worker relays the authorization.
    const shop = Wallet.createRandom();
    const retailer = await admit(stack, "retailer", "Warung Sari", shop.address);
    expect((await client(stack.app, stack.adminKey).post(`/v1/programs/${program.id}/members`, { memberId: retailer.id })).status).toBe(201);
    const { body } = await signPayment(stack, collector, program, shop.address, "60");
    const payment = await anonymous(stack).post("/v1/payments", body);
    expect(payment.status, JSON.stringify(payment.body)).toBe(202);
    const paid = await onTheNetwork(
      () => asAdmin(stack).get(`/v1/payments/${payment.body.id}`),
      (r) => r.body.status === "confirmed" || r.body.status === "failed",
    );
    expect(paid.body.status, JSON.stringify(paid.body)).toBe("confirmed");
    expect(await token.balanceOf(shop.address)).toBe(parseUnits("60", 18));

    // The retailer redeems the 60 tokens: 0.6 tUSD from the sponsor's deposit, less the 0.5% fee.
    const redemption = await retailer.api.post("/v1/redemptions", await signRedemption(stack, shop, program, "60"));
    expect(redemption.status, JSON.stringify(redemption.body)).toBe(202);
    const redeemed = await onTheNetwork(
      () => retailer.api.get(`/v1/redemptions/${redemption.body.id}`),
      (r) => r.body.status === "confirmed" || r.body.status === "failed",
    );
    expect(redeemed.body.status, JSON.stringify(redeemed.body)).toBe("confirmed");
    expect(await stablecoin(stack).balanceOf(shop.address)).toBe(tusd("0.597"));
    expect(await stablecoin(stack).balanceOf(governance(stack).address)).toBeGreaterThanOrEqual(tusd("0.003"));

    // The indexer, CHAIN_CONFIRMATIONS behind the head, reaches the redemption with no other traffic.
    await onTheNetwork(
      () => stack.sql`select 1 from chain_events where tx_hash = ${redeemed.body.txHash} and name = 'Redeemed'`,
      (rows) => rows.length === 1,
    );
    const report = await sponsor.api.get("/v1/sponsors/me/fund-flow");
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.totals).toEqual({ deposited: "10", drawn: "0.6", fees: "0.003", paidToRetailers: "0.597", withdrawn: "0", left: "9.4" });
    expect(report.body.programs[0].collections).toMatchObject({ count: 1, kg: "40", tokens: "100" });
    expect(report.body.programs[0].collections.credits.map((c: { txHash: string }) => c.txHash)).toEqual([credited.body.txHash]);

    // Rebuilt from the node's logs alone, the report is the same.
    const verified = await verifyFundFlow({ sponsor: sponsor.wallet.address, rpc: node.url, api: apiUrl, key: sponsor.key, addressBook: stack.config.addressBookPath });
    expect(verified.differences).toEqual([]);
    expect(verified.chain.deposits).toHaveLength(1);
  }, 120 * BLOCKS);
});
