import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { parseUnits, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LotCertificate__factory } from "../../../types/ethers-contracts/index.js";
import { admit, eventually, idempotencyKey, type Client } from "../../support/earn-fixtures.js";
import { client } from "../../support/client.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const tokens = (amount: string) => parseUnits(amount, 18);

/** A recycling program holding 30% of each drop-off as bonus, a point issuing for it and two collectors. */
async function bonusScene() {
  const admin = client(stack.app, stack.adminKey);
  const program = await admin.post("/v1/programs", {
    name: "Social Plastic",
    symbol: "SOC",
    kind: "recycling",
    rates: { PET: "10", HDPE: "4" },
    bonusShareBps: 3000,
  });
  expect(program.status, JSON.stringify(program.body)).toBe(201);
  expect(program.body.bonusShareBps).toBe(3000);
  const point = await admit(stack, "collection_point", "Point Pasir Panjang");
  expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: point.id })).status).toBe(201);
  const collectors = [Wallet.createRandom(), Wallet.createRandom()];
  for (const [i, c] of collectors.entries()) {
    expect((await point.api.post("/v1/collectors", { address: c.address, displayName: `C${i}` })).status).toBe(201);
  }
  const processorWallet = Wallet.createRandom().address;
  const processor = await admit(stack, "processor", "Pellet Works", processorWallet);
  expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: processor.id })).body.role).toBe("processor");
  return { admin, program: program.body, point, collectors, processor, processorWallet };
}

/** A drop-off, awaited until its base credit is minted. */
async function dropOff(point: Client, programId: number, collector: string, material: string, grams: number) {
  const reply = await point.post("/v1/collections", { programId, collector, material, grams }, idempotencyKey());
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  await eventually(() => point.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
  return reply.body.id as number;
}

describe("lots and delayed bonuses", () => {
  it("refuses a bonus share on a loyalty program and out of range", async () => {
    const admin = client(stack.app, stack.adminKey);
    const loyalty = await admin.post("/v1/programs", {
      name: "Shop", symbol: "SHP", kind: "loyalty", rules: { events: { purchase: { fixed: "1" } } }, bonusShareBps: 100,
    });
    expect(loyalty.status).toBe(400);
    const tooMuch = await admin.post("/v1/programs", { name: "X", symbol: "X", kind: "recycling", rates: { PET: "1" }, bonusShareBps: 10_001 });
    expect(tooMuch.status).toBe(400);
  });

  it("mints 70% at once, the 30% bonus when the lot is confirmed, and certifies the lot with provable drop-offs", async () => {
    const scene = await bonusScene();
    const { program, point, collectors, processor, processorWallet } = scene;
    const token = stack.chain.token(program.token);
    const [a, b] = collectors.map((c) => c.address) as [string, string];
    const inLot = [
      await dropOff(point.api, program.id, a, "PET", 1_000), // 10 tokens: 7 now, 3 held
      await dropOff(point.api, program.id, b, "PET", 2_500), // 25 tokens: 17.5 now, 7.5 held
      await dropOff(point.api, program.id, a, "PET", 500), // 5 tokens: 3.5 now, 1.5 held
    ];
    const outside = await dropOff(point.api, program.id, b, "PET", 100);
    const otherMaterial = await dropOff(point.api, program.id, a, "HDPE", 1_000);
    const reversed = await dropOff(point.api, program.id, a, "PET", 200);
    expect((await scene.admin.post(`/v1/events/${reversed}/reverse`, { reason: "scale misread" })).status).toBe(200);
    expect(await token.balanceOf(a)).toBe(tokens("7") + tokens("3.5") + tokens("2.8")); // the reversed 1.4 burned
    expect(await token.balanceOf(b)).toBe(tokens("17.5") + tokens("0.7"));

    const refused = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: [...inLot, otherMaterial, reversed] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "RC_LOT_COLLECTIONS_INELIGIBLE", details: { collectionIds: [otherMaterial, reversed] } });
    expect((await point.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: inLot })).status).toBe(403);

    const created = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: inLot });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: "open", grams: 4_000, kg: "4", collectionIds: [...inLot].sort((x, y) => x - y) });
    const again = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: [inLot[0]] });
    expect(again.status).toBe(409);
    const lotId = created.body.id as number;
    expect((await processor.api.get(`/v1/lots/${lotId}/proof/${inLot[0]}`)).status).toBe(409);

    const subscribed = await processor.api.post("/v1/webhooks", { url: undeliveredUrl("/lots"), events: ["lot.confirmed"] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    const confirmed = await processor.api.post(`/v1/lots/${lotId}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: "confirmed", certificate: stack.deployment.contracts.lotCertificate });
    expect(confirmed.body.bonusEventIds).toHaveLength(3);
    expect((await processor.api.post(`/v1/lots/${lotId}/confirm`, {})).status).toBe(409);

    // Bonuses: minted by the batcher under their own event ids; each collector now holds 100% of the lot's credit.
    await eventually(() => token.balanceOf(b), (balance) => balance === tokens("25") + tokens("0.7"));
    await eventually(() => token.balanceOf(a), (balance) => balance === tokens("10") + tokens("5") + tokens("2.8"));

    const certificate = LotCertificate__factory.connect(confirmed.body.certificate, stack.chain.provider);
    expect(await certificate.balanceOf(processorWallet, lotId)).toBe(1n);
    expect(await certificate.merkleRootOf(lotId)).toBe(confirmed.body.merkleRoot);

    for (const id of inLot) {
      const proof = await client(stack.app).get(`/v1/lots/${lotId}/proof/${id}`);
      expect(proof.status, JSON.stringify(proof.body)).toBe(200);
      expect(proof.body).toMatchObject({ lotId, eventId: id, root: confirmed.body.merkleRoot });
      expect(await certificate.contains(lotId, id, proof.body.proof)).toBe(true);
      // The same proof does not carry a drop-off outside the lot.
      expect(await certificate.contains(lotId, outside, proof.body.proof)).toBe(false);
    }
    expect((await client(stack.app).get(`/v1/lots/${lotId}/proof/${outside}`)).status).toBe(404);

    const read = await processor.api.get(`/v1/lots/${lotId}`);
    expect(read.body).toMatchObject({ status: "confirmed", txHash: confirmed.body.txHash, blockNumber: confirmed.body.blockNumber });
    // Told once CHAIN_CONFIRMATIONS blocks stand on the certificate.
    const [webhook] = await eventually(
      () => stack.sql`select payload, member_ids::text[] as members from webhook_events where type = 'lot.confirmed'`,
      (rows) => rows.length > 0,
    );
    expect(webhook?.payload).toMatchObject({ lotId, merkleRoot: confirmed.body.merkleRoot, txHash: confirmed.body.txHash, grams: 4_000 });
    expect(webhook?.members).toEqual([String(processor.id)]);
    const history = await scene.admin.get(`/v1/collectors/${a}`);
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.history).toContainEqual(expect.objectContaining({ kind: "bonus", reason: "RC_COLLECTION_BONUS", amount: "3" }));
    // On chain the bonuses are credited already; the rows say so once a block stands on theirs.
    const bonusRows = await eventually(
      () => stack.sql`select credit::text, status, bonus_of from events where kind = 'bonus' order by id`,
      (rows) => rows.every((r) => r.status === "confirmed"),
    );
    expect(bonusRows.map((r) => [r.credit, r.status])).toEqual([
      [tokens("3").toString(), "confirmed"],
      [tokens("7.5").toString(), "confirmed"],
      [tokens("1.5").toString(), "confirmed"],
    ]);
  });
});

const SCRIPT = new URL("../../../scripts/verify-fund-flow.ts", import.meta.url).pathname;
const TSX = new URL("../../../node_modules/.bin/tsx", import.meta.url).pathname;

/** Runs `npm run verify -- --lot …` as a buyer of the lot would, over HTTP and the node; resolves with its exit code. */
async function verifyLot(lotId: number, collectionId: number) {
  // Listening only once asked: the other tests inject requests and need no port.
  if (!stack.app.server.listening) await stack.app.listen({ port: 0, host: "127.0.0.1" });
  const api = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  const args = [SCRIPT, "--lot", String(lotId), "--collection", String(collectionId), "--rpc", stack.config.chainRpcUrl!, "--api", api];
  try {
    const { stdout } = await promisify(execFile)(TSX, [...args, "--address-book", stack.config.addressBookPath], { timeout: 60_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("npm run verify -- --lot", () => {
  it("proves a member drop-off against the certificate on chain, and fails for one outside the lot", async () => {
    const { program, point, collectors, processor } = await bonusScene();
    const collector = collectors[0]!.address;
    const inLot = [await dropOff(point.api, program.id, collector, "PET", 1_000), await dropOff(point.api, program.id, collector, "PET", 300)];
    const outside = await dropOff(point.api, program.id, collector, "PET", 100);
    const lot = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: inLot });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    expect((await verifyLot(lot.body.id, inLot[0]!)).code).toBe(1); // not certified yet: the API refuses (409)
    expect((await processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {})).status).toBe(200);

    for (const id of inLot) {
      const proven = await verifyLot(lot.body.id, id);
      expect(proven.code, proven.output).toBe(0);
      expect(proven.output).toContain(`Drop-off ${id} in lot ${lot.body.id}`);
    }
    const refused = await verifyLot(lot.body.id, outside);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain("RC_NOT_IN_LOT");
  });
});

describe("confirming a lot", () => {
  it("is the processor's own, confirmed once, its bonus released once", async () => {
    const { program, point, collectors, processor } = await bonusScene();
    const ids = [await dropOff(point.api, program.id, collectors[0]!.address, "PET", 1_000)];
    const lot = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: ids });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    const rival = await admit(stack, "processor", "Other Works");
    expect((await rival.api.post(`/v1/lots/${lot.body.id}/confirm`, {})).status).toBe(404);
    expect((await rival.api.get(`/v1/lots/${lot.body.id}`)).status).toBe(404);

    const first = await processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {});
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // A crash at any point of the certificate's write is test/services/engines/operator-crash.test.ts.
    expect((await processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {})).status).toBe(409);
    const [{ count }] = (await stack.sql`select count(*)::int as count from events where kind = 'bonus' and lot_id = ${lot.body.id}`) as unknown as [{ count: number }];
    expect(count).toBe(1);
  });
});
