import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnvilNode, startAnvil, stopAnvil } from "../../../harness/lib/anvil.js";
import { freePort } from "../../../harness/lib/isolated-run.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { signDeposit, sponsorWithFunds } from "../../support/sponsor-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

/**
 * The operator's other writes (a relayed deposit, a credit reversal) as credits: in a block first, confirmed
 * CHAIN_CONFIRMATIONS blocks later, and, when a reorganisation deeper than that takes them away, back to
 * waiting and sent again, each carried out on chain exactly once (the vault's nonce, the token's reversed flag).
 */
let node: AnvilNode;
let folder: string;
let stack: Stack;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "recircle-anvil-reorg-writes-"));
  node = await startAnvil({ port: await freePort(), stateDir: folder });
  stack = await startStack({ chainUrl: node.url, userDefaults: true });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (node) await stopAnvil(node);
  if (folder) await rm(folder, { recursive: true, force: true });
}, 60_000);

interface WriteRow {
  kind: string;
  status: string;
  blockNumber: string | null;
  txHash: string | null;
}
const writes = () =>
  stack.sql<WriteRow[]>`
    select kind, status, block_number::text as "blockNumber", tx_hash as "txHash" from chain_writes
    where kind in ('deposit.relay', 'credit.reverse') order by id`;

describe("a reorganisation on Anvil under the operator's writes", () => {
  it("takes a deposit and a reversal away after they were confirmed, and both are carried out again, once", async () => {
    const scene = await recyclingScene(stack);
    const sponsor = await sponsorWithFunds(stack, "100");
    const accepted = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 2_000 },
      idempotencyKey(),
    );
    expect(accepted.status).toBe(202);
    const eventId = accepted.body.id as number;
    const subscribed = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/reversals"), events: ["credit.reversed"] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    await eventually(() => scene.point.api.get(`/v1/collections/${eventId}`), (r) => r.body.status === "confirmed", 60_000);

    const [deposited, reversed] = await Promise.all([
      sponsor.api.post("/v1/deposits", await signDeposit(stack, sponsor.wallet, scene.program, "40")),
      scene.admin.post(`/v1/events/${eventId}/reverse`, { reason: "scale misread" }),
    ]);
    expect(deposited.status, JSON.stringify(deposited.body)).toBe(201);
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    // The answers come with the block, before CHAIN_CONFIRMATIONS blocks stand on it.
    expect(deposited.body.status).toBe("included");
    expect(reversed.body.status).toBe("included");

    const first = await eventually(writes, (rows) => rows.length === 2 && rows.every((row) => row.status === "confirmed"), 30_000);
    const [reversal] = await stack.sql`select status from reversals where event_id = ${eventId}`;
    expect(reversal?.status).toBe("confirmed");
    const lowest = Math.min(...first.map((row) => Number(row.blockNumber)));
    const depth = (await stack.chain.provider.getBlockNumber()) - lowest + 1;
    await stack.chain.provider.send("anvil_reorg", [depth, []]);
    expect(await stack.chain.vault.nonces(sponsor.wallet.address)).toBe(0n);

    // Back to waiting, sent again under new hashes, in a block, and confirmed again.
    const again = await eventually(
      writes,
      (rows) => rows.every((row, i) => row.status === "confirmed" && row.txHash !== first[i]!.txHash),
      60_000,
    );
    expect(again.map((row) => row.kind)).toEqual(first.map((row) => row.kind));
    expect(await stack.chain.vault.nonces(sponsor.wallet.address)).toBe(1n);
    const token = stack.chain.token(scene.program.token);
    expect(await token.isReversed(BigInt(eventId))).toBe(true);
    const deposits = await stack.chain.vault.queryFilter(stack.chain.vault.filters.Deposited(undefined, scene.program.token, sponsor.wallet.address), 0);
    expect(deposits.map((log) => log.transactionHash)).toEqual([again.find((row) => row.kind === "deposit.relay")!.txHash]);
    const reversals = await token.queryFilter(token.filters.CreditReversed(BigInt(eventId)), 0);
    expect(reversals.map((log) => log.transactionHash)).toEqual([again.find((row) => row.kind === "credit.reverse")!.txHash]);
    const [row] = await stack.sql`select status, tx_hash as "txHash" from reversals where event_id = ${eventId}`;
    expect(row).toEqual({ status: "confirmed", txHash: reversals[0]!.transactionHash });
    // The issuer heard of the reversal at each confirmation: the second names the transaction that carries it now.
    const hooks = await stack.sql`select payload from webhook_events where type = 'credit.reversed' order by id`;
    expect(hooks.map((hook) => hook.payload.txHash)).toEqual([first.find((w) => w.kind === "credit.reverse")!.txHash, row!.txHash]);
  }, 180_000);
});
