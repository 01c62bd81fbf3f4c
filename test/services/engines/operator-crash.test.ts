import { hexlify, randomBytes, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimatedGasLimit } from "../../../services/chain/gas.js";
import { type ChainWrite, markWriteSubmitted } from "../../../services/db/chain-writes.js";
import type { ChainWriteKind } from "../../../services/engines/chain-write-kind.js";
import { CERTIFY_LOT } from "../../../services/flows/confirm-lot.js";
import { type Operator, startOperator } from "../../../services/flows/operator.js";
import { REVERSE_CREDIT } from "../../../services/flows/reverse-credit.js";
import { LotCertificate__factory } from "../../../types/ethers-contracts/index.js";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The operator dies at every point of a write (recorded; signed and its hash recorded; mined but not settled;
 * mined under a hash the row does not know), and the next operator finishes the write: the request that
 * recorded it gets its answer, the chain did it once, and nothing is left queued or submitted.
 */
let stack: Stack;
let operator: Operator | undefined;
beforeAll(async () => {
  stack = await startStack({ runOperator: false });
});
afterAll(async () => {
  await operator?.stop();
  await stack?.close();
});

const start = async () => (operator = await startOperator(stack.sql, stack.chain, { batchMax: 100, batchMs: 50 }));
const stop = async () => {
  await operator?.stop();
  operator = undefined;
};

type CrashPoint = "recorded" | "signed" | "mined" | "mined-under-another-hash";
const randomHash = () => hexlify(randomBytes(32));

/** Leaves the queued write `kind`'s only live row as an operator killed at `point` would. */
async function crashAt(point: CrashPoint, kind: ChainWriteKind): Promise<ChainWrite> {
  const [write] = (await eventually(
    () => stack.sql`select id, kind, subject, payload, status from chain_writes where kind = ${kind.kind} and status = 'queued'`,
    (rows) => rows.length === 1,
  )) as unknown as ChainWrite[];
  if (point === "recorded") return write!;
  if (point === "signed") {
    await markWriteSubmitted(stack.sql, write!.id, { signer: stack.chain.writer.address, hash: randomHash(), nonce: 0 });
    return write!;
  }
  // Exactly what the sender does before it would have settled: record the hash, broadcast, and the block mines it.
  const request = await kind.request(stack.chain, write!.payload);
  const gasLimit = estimatedGasLimit(await stack.chain.provider.estimateGas({ ...request, from: stack.chain.writer.address }));
  const sent = await stack.chain.writer.send({ ...request, gasLimit }, ({ hash, nonce }) =>
    markWriteSubmitted(stack.sql, write!.id, { signer: stack.chain.writer.address, hash, nonce }),
  );
  expect((await stack.chain.waitForReceipt(sent.hash))?.status).toBe(1);
  if (point === "mined-under-another-hash") await stack.sql`update chain_writes set tx_hash = ${randomHash()} where id = ${write!.id}`;
  return write!;
}

async function nothingOpen() {
  const [{ open }] = (await stack.sql`select count(*)::int as open from chain_writes where status in ('queued', 'submitted')`) as unknown as [{ open: number }];
  expect(open).toBe(0);
}

const POINTS: CrashPoint[] = ["recorded", "signed", "mined", "mined-under-another-hash"];

describe("an operator killed in the middle of a write", () => {
  it.each(POINTS)("finishes a credit reversal left %s, once", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const drop = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 2_000 },
      idempotencyKey(),
    );
    await eventually(() => scene.point.api.get(`/v1/collections/${drop.body.id}`), (r) => r.body.status === "confirmed");
    await stop();

    const answer = scene.admin.post(`/v1/events/${drop.body.id}/reverse`, { reason: "scale misread" });
    await crashAt(point, REVERSE_CREDIT);
    await start();
    const reply = await answer;
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ eventId: drop.body.id, status: "confirmed", burned: "5", shortfall: "0" });

    const token = stack.chain.token(scene.program.token);
    const logs = await token.queryFilter(token.filters.CreditReversed(BigInt(drop.body.id)), stack.deployment.startBlock);
    expect(logs.map((log) => log.transactionHash)).toEqual([reply.body.txHash]);
    expect(await token.balanceOf(scene.collector.address)).toBe(0n);
    await nothingOpen();
    await stop();
  });

  it.each(POINTS)("finishes a lot certificate left %s, once, with its bonuses minted", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const admin = client(stack.app, stack.adminKey);
    const program = await admin.post("/v1/programs", { name: "Lots", symbol: "LOT", kind: "recycling", rates: { PET: "10" }, bonusShareBps: 2000 });
    expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: scene.point.id })).status).toBe(201);
    const drop = await scene.point.api.post(
      "/v1/collections",
      { programId: program.body.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    await eventually(() => scene.point.api.get(`/v1/collections/${drop.body.id}`), (r) => r.body.status === "confirmed");
    const processor = await admit(stack, "processor", `Works ${point}`, Wallet.createRandom().address);
    const lot = await processor.api.post("/v1/lots", { programId: program.body.id, material: "PET", collectionIds: [drop.body.id] });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    await stop();

    const answer = processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {});
    await crashAt(point, CERTIFY_LOT);
    await start();
    const reply = await answer;
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.status).toBe("confirmed");

    const certificate = LotCertificate__factory.connect(stack.deployment.contracts.lotCertificate!, stack.chain.provider);
    const logs = await certificate.queryFilter(certificate.filters.LotCertified(BigInt(lot.body.id)), stack.deployment.startBlock);
    expect(logs.map((log) => log.transactionHash)).toEqual([reply.body.txHash]);
    const token = stack.chain.token(program.body.token);
    await eventually(() => token.balanceOf(scene.collector.address), (balance) => balance === 10n * 10n ** 18n);
    await nothingOpen();
    await stop();
  });
});
