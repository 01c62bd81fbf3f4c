import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MintBatcher } from "../../../services/engines/mint-batcher.js";
import { connectChain, DEV_OPERATOR_KEY } from "../../../services/chain/network.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
});
afterAll(() => stack?.close());

const CRASHING_BATCHER = new URL("../../support/crashing-batcher.ts", import.meta.url).pathname;

/** Runs the crashing batcher and resolves with its output once it has died by SIGKILL. */
function crash(orders: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CRASHING_BATCHER, JSON.stringify(orders)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      signal === "SIGKILL" ? resolve(output) : reject(new Error(`the batcher exited with ${code ?? signal}, not SIGKILL`)),
    );
  });
}

const statusCounts = async () =>
  Object.fromEntries(
    (await stack.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from events group by status`).map(
      (row) => [row.status, row.n],
    ),
  );

describe("the mint batcher across crashes", () => {
  it("credits every event exactly once after batchers die mid-batch and a new one recovers", async () => {
    const { program, point, collector } = await recyclingScene(stack);
    const grams = Array.from({ length: 120 }, (_, i) => 100 + i);
    for (const g of grams) {
      const reply = await point.api.post(
        "/v1/collections",
        { programId: program.id, collector: collector.address, material: "PET", grams: g },
        idempotencyKey(),
      );
      expect(reply.status).toBe(202);
    }
    const orders = {
      databaseUrl: stack.config.databaseUrl,
      chainUrl: stack.config.chainRpcUrl,
      operatorKey: DEV_OPERATOR_KEY,
      deployment: stack.deployment,
      batchMax: 50,
    };
    const token = stack.chain.token(program.token);

    // 1. Recorded and broadcast, then killed before it saw a receipt: 50 rows stay `submitted`.
    await crash({ ...orders, mode: "after-send" });
    expect(await statusCounts()).toEqual({ submitted: 50, pending: 70 });
    const submitted = await stack.sql<{ id: bigint }[]>`select id from events where status = 'submitted'`;
    expect(await token.isCredited(submitted[0]!.id)).toBe(true);

    // 2. Mined but never recorded: 30 rows stay `pending` although the chain credited them.
    const unrecorded = await stack.sql<{ id: string; beneficiary: string; credit: string }[]>`
      select id::text, beneficiary, credit::text from events where status = 'pending' order by id limit 30`;
    const hiddenTx = (
      await crash({ ...orders, mode: "unrecorded", events: unrecorded.map((e) => ({ ...e, token: program.token })) })
    ).trim();
    expect(await statusCounts()).toEqual({ submitted: 50, pending: 70 });
    expect(await token.isCredited(BigInt(unrecorded[0]!.id))).toBe(true);

    // 3. A new batcher settles the first batch from its receipt, re-sends the rest (the token skips the
    // 30 already credited) and confirms those with the transaction that really credited them.
    const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_OPERATOR_KEY);
    const batcher = new MintBatcher(stack.sql, chain, { batchMax: 50, batchMs: 20 });
    await batcher.recover();
    batcher.start();
    await eventually(statusCounts, (counts) => counts.confirmed === 120);
    await batcher.stop();
    chain.close();

    const credits = await stack.sql<{ id: bigint; credit: string; txHash: string }[]>`
      select id, credit::text, tx_hash as "txHash" from events order by id`;
    const total = credits.reduce((sum, e) => sum + BigInt(e.credit), 0n);
    expect(await token.balanceOf(collector.address)).toBe(total);
    expect(await token.totalSupply()).toBe(total);
    const creditedLogs = await token.queryFilter(token.filters.Credited(), stack.deployment.startBlock);
    const timesCredited = new Map<bigint, number>();
    for (const log of creditedLogs) timesCredited.set(log.args.eventId, (timesCredited.get(log.args.eventId) ?? 0) + 1);
    expect(creditedLogs).toHaveLength(120);
    for (const event of credits) expect(timesCredited.get(event.id)).toBe(1);
    const byHidden = credits.filter((e) => unrecorded.some((u) => BigInt(u.id) === e.id));
    expect(new Set(byHidden.map((e) => e.txHash))).toEqual(new Set([hiddenTx]));
  });
});
