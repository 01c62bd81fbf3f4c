import { hexlify, randomBytes, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimatedGasLimit } from "../../../services/chain/gas.js";
import { type ChainWrite, markWriteSubmitted } from "../../../services/db/chain-writes.js";
import type { ChainWriteKind } from "../../../services/engines/chain-write-kind.js";
import { CERTIFY_LOT } from "../../../services/flows/confirm-lot.js";
import { CREATE_PROGRAM } from "../../../services/flows/create-program.js";
import { GRANT_ACCEPTOR } from "../../../services/flows/grant-program-role.js";
import { type Operator, startOperator } from "../../../services/flows/operator.js";
import { RELAY_DEPOSIT } from "../../../services/flows/relay-deposit.js";
import { REVERSE_CREDIT } from "../../../services/flows/reverse-credit.js";
import { LotCertificate__factory } from "../../../types/ethers-contracts/index.js";
import type { Reply } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { signDeposit, sponsorWithFunds } from "../../support/sponsor-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The operator dies at every point of every write it makes besides mint batches (recorded; signed, its hash
 * recorded, never broadcast; mined but not settled; mined under a hash the row does not know), and the next
 * operator finishes the write: the request that recorded it gets its answer, the chain did it once, and
 * nothing is left queued or submitted. A write with no sign on chain (a program's creation) is never sent
 * twice: lost under an unknown hash, it fails for an operator to look at instead.
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

const start = async () => (operator = await startOperator(stack.sql, stack.chain, { batchMax: 100, batchMs: 50, confirmations: stack.config.chainConfirmations }));
const stop = async () => {
  await operator?.stop();
  operator = undefined;
};

type CrashPoint = "recorded" | "signed" | "mined" | "mined-under-another-hash";
const POINTS: CrashPoint[] = ["recorded", "signed", "mined", "mined-under-another-hash"];
const randomHash = () => hexlify(randomBytes(32));

/** Leaves the one queued write of `kind` as an operator killed at `point` would have left it. */
async function crashAt(point: CrashPoint, kind: ChainWriteKind): Promise<void> {
  const [write] = (await eventually(
    () => stack.sql`select id, kind, subject, payload, status from chain_writes where kind = ${kind.kind} and status = 'queued'`,
    (rows) => rows.length === 1,
  )) as unknown as ChainWrite[];
  if (point === "recorded") return;
  // Exactly what the sender does: sign with the next nonce, record the hash, then broadcast (unless killed first).
  const request = await kind.request(stack.chain, write!.payload);
  const gasLimit = estimatedGasLimit(await stack.chain.provider.estimateGas({ ...request, from: stack.chain.writer.address }));
  const killed = new Error("killed between recording the hash and broadcasting");
  const sent = await stack.chain.writer
    .send({ ...request, gasLimit }, async ({ hash, nonce }) => {
      await markWriteSubmitted(stack.sql, write!.id, { signer: stack.chain.writer.address, hash, nonce });
      if (point === "signed") throw killed;
    })
    .catch((error: unknown) => (error === killed ? undefined : Promise.reject(error)));
  if (!sent) return;
  expect((await stack.chain.waitForReceipt(sent.hash))?.status).toBe(1);
  if (point === "mined-under-another-hash") await stack.sql`update chain_writes set tx_hash = ${randomHash()} where id = ${write!.id}`;
}

async function nothingOpen() {
  const [{ open }] = (await stack.sql`select count(*)::int as open from chain_writes where status in ('queued', 'submitted')`) as unknown as [{ open: number }];
  expect(open).toBe(0);
}

/** Runs `request` with the operator down, crashes the write at `point`, starts an operator, and answers the reply. */
async function throughCrash(point: CrashPoint, kind: ChainWriteKind, request: () => Promise<Reply>): Promise<Reply> {
  await stop();
  const answer = request();
  await crashAt(point, kind);
  await start();
  const reply = await answer;
  await nothingOpen();
  await stop();
  return reply;
}

async function dropOff(scene: Awaited<ReturnType<typeof recyclingScene>>, programId: number, grams: number) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId, collector: scene.collector.address, material: "PET", grams },
    idempotencyKey(),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
  return reply.body.id as number;
}

describe("an operator killed in the middle of a write", () => {
  it.each(POINTS)("finishes a credit reversal left %s, once", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const eventId = await dropOff(scene, scene.program.id, 2_000);
    const reply = await throughCrash(point, REVERSE_CREDIT, () => scene.admin.post(`/v1/events/${eventId}/reverse`, { reason: "scale misread" }));
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ eventId, status: expect.stringMatching(/^(included|confirmed)$/), burned: "5", shortfall: "0" });
    const token = stack.chain.token(scene.program.token);
    const logs = await token.queryFilter(token.filters.CreditReversed(BigInt(eventId)), stack.deployment.startBlock);
    expect(logs.map((log) => log.transactionHash)).toEqual([reply.body.txHash]);
    expect(await token.balanceOf(scene.collector.address)).toBe(0n);
  });

  it.each(POINTS)("finishes a lot certificate left %s, once, with its bonuses minted", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const program = await scene.admin.post("/v1/programs", { name: "Lots", symbol: "LOT", kind: "recycling", rates: { PET: "10" }, bonusShareBps: 2000 });
    expect((await scene.admin.post(`/v1/programs/${program.body.id}/members`, { memberId: scene.point.id })).status).toBe(201);
    const eventId = await dropOff(scene, program.body.id, 1_000);
    const processor = await admit(stack, "processor", `Works ${point}`, Wallet.createRandom().address);
    expect((await scene.admin.post(`/v1/programs/${program.body.id}/members`, { memberId: processor.id })).status).toBe(201);
    const lot = await processor.api.post("/v1/lots", { programId: program.body.id, material: "PET", collectionIds: [eventId] });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    const reply = await throughCrash(point, CERTIFY_LOT, () => processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {}));
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.status).toBe("confirmed");
    const certificate = LotCertificate__factory.connect(stack.deployment.contracts.lotCertificate!, stack.chain.provider);
    const logs = await certificate.queryFilter(certificate.filters.LotCertified(BigInt(lot.body.id)), stack.deployment.startBlock);
    expect(logs.map((log) => log.transactionHash)).toEqual([reply.body.txHash]);
    await start();
    const token = stack.chain.token(program.body.token);
    await eventually(() => token.balanceOf(scene.collector.address), (balance) => balance === 10n * 10n ** 18n);
    await stop();
  });

  it.each(POINTS)("finishes a retailer's acceptor grant left %s, once", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const shop = Wallet.createRandom().address;
    const retailer = await admit(stack, "retailer", `Warung ${point}`, shop);
    const reply = await throughCrash(point, GRANT_ACCEPTOR, () => scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: retailer.id }));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ role: "acceptor", memberId: retailer.id });
    const token = stack.chain.token(scene.program.token);
    const role = await token.ACCEPTOR_ROLE();
    expect(await token.hasRole(role, shop)).toBe(true);
    const logs = await token.queryFilter(token.filters.RoleGranted(role, shop), stack.deployment.startBlock);
    expect(logs.map((log) => log.transactionHash)).toEqual([reply.body.txHash]);
  });

  it.each(POINTS)("finishes a sponsor's relayed deposit left %s, once", async (point) => {
    await start();
    const scene = await recyclingScene(stack);
    const sponsor = await sponsorWithFunds(stack, "5");
    const signed = await signDeposit(stack, sponsor.wallet, scene.program, "2");
    const reply = await throughCrash(point, RELAY_DEPOSIT, () => sponsor.api.post("/v1/deposits", signed));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ amount: "2", sponsor: sponsor.wallet.address });
    const vault = stack.chain.vault;
    const logs = await vault.queryFilter(vault.filters.Deposited(undefined, scene.program.token, sponsor.wallet.address), stack.deployment.startBlock);
    expect(logs.map((log) => [log.transactionHash, Number(log.args.depositId)])).toEqual([[reply.body.txHash, reply.body.depositId]]);
  });

  it.each(["recorded", "signed", "mined"] as const)("finishes a program's creation left %s, once", async (point) => {
    await start();
    const { admin } = await recyclingScene(stack);
    const symbol = `P${point.slice(0, 3).toUpperCase()}`;
    const reply = await throughCrash(point, CREATE_PROGRAM, () => admin.post("/v1/programs", { name: "Crash", symbol, kind: "recycling", rates: { PET: "1" } }));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(await programsOnChain(symbol)).toEqual([reply.body.token]);
  });

  it("never creates a program twice: lost under a hash the node never saw, with its nonce spent, it fails for an operator", async () => {
    await start();
    const { admin } = await recyclingScene(stack);
    const reply = await throughCrash("mined-under-another-hash", CREATE_PROGRAM, () =>
      admin.post("/v1/programs", { name: "Crash", symbol: "PLOST", kind: "recycling", rates: { PET: "1" } }),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(502);
    expect(reply.body.error.code).toBe("RC_CHAIN_WRITE_NONCE_SPENT");
    expect(await programsOnChain("PLOST")).toHaveLength(1);
  });
});

/** The tokens the factory created with `symbol`, from its ProgramCreated logs. */
async function programsOnChain(symbol: string): Promise<string[]> {
  const logs = await stack.chain.factory.queryFilter(stack.chain.factory.filters.ProgramCreated(), stack.deployment.startBlock);
  return logs.filter((log) => log.args.symbol === symbol).map((log) => log.args.token);
}
