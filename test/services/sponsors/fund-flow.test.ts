import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChainIndexer } from "../../../services/engines/indexer.js";
import { client } from "../../support/client.js";
import { Wallet } from "ethers";
import { admit, eventually, idempotencyKey } from "../../support/earn-fixtures.js";
import { startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { redemptionScene, settled, signRedemption, startTestRedemptionWorker } from "../../support/redemption-fixtures.js";
import { depositDirectly, signDeposit, sponsorWithFunds } from "../../support/sponsor-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let workers: { close(): Promise<void> }[] = [];
let apiUrl: string;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "20" } });
  workers = [await startTestPaymentWorker(stack), await startTestRedemptionWorker(stack)];
  // The verify script reads the API over HTTP, as a sponsor would.
  await stack.app.listen({ port: 0, host: "127.0.0.1" });
  apiUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const worker of workers) await worker.close();
  await stack?.close();
});

/** Indexes the chain up to its head, as the indexer worker would. */
async function indexAll() {
  const indexer = new ChainIndexer(stack.sql, stack.chain, { confirmations: 0 });
  const head = await stack.chain.provider.getBlockNumber();
  await eventually(() => indexer.runOnce(), (run) => run.toBlock === undefined || run.toBlock >= head);
}

const SCRIPT = new URL("../../../scripts/verify-fund-flow.ts", import.meta.url).pathname;
const TSX = new URL("../../../node_modules/.bin/tsx", import.meta.url).pathname;

/** Runs `npm run verify` as a sponsor would, against the test's node and API; resolves with its exit code. */
async function verify(sponsor: string, key: string, extra: string[] = []) {
  const args = [
    SCRIPT,
    ...extra,
    ...["--sponsor", sponsor, "--rpc", stack.config.chainRpcUrl!, "--api", apiUrl],
    ...["--address-book", stack.config.addressBookPath],
  ];
  try {
    const { stdout } = await promisify(execFile)(TSX, args, { timeout: 60_000, env: { ...process.env, RECIRCLE_API_KEY: key } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Sums a CSV column over the rows of one kind, in stablecoin base units. */
function csvTotal(csv: string, column: string, line: string) {
  const [header, ...rows] = csv.trim().split("\n").map((row) => row.split(","));
  const at = header!.indexOf(column);
  return rows.filter((r) => r[0] === line).reduce((sum, r) => sum + BigInt(Math.round(Number(r[at]) * 1e6)), 0n);
}

describe("a sponsor's fund flow", () => {
  it("shows relayed and direct deposits, a redemption's draws with fee shares, what is left and what it bought; verify agrees, then catches tampered rows", async () => {
    const scene = await redemptionScene(stack, { kg: 60, amount: "150" }); // 150 PET tokens paid to the retailer
    const hdpe = { programId: scene.program.id, collector: scene.collector.address, material: "HDPE", grams: 2_000 };
    const earned = await scene.point.api.post("/v1/collections", hdpe, idempotencyKey());
    await eventually(() => scene.point.api.get(`/v1/collections/${earned.body.id}`), (r) => r.body.status === "confirmed");

    const sponsor = await sponsorWithFunds(stack, "5");
    const relayed = await sponsor.api.post("/v1/deposits", await signDeposit(stack, sponsor.wallet, scene.program, "1"));
    expect(relayed.status, JSON.stringify(relayed.body)).toBe(201);
    expect(relayed.body).toMatchObject({ programId: scene.program.id, sponsor: sponsor.wallet.address, amount: "1" });
    const direct = await depositDirectly(stack, sponsor.wallet, scene.program.token, "2");

    // 150 tokens at 0.01 = 1.5 tUSD: 1 from the relayed deposit, 0.5 from the direct one; the fee 0.0075.
    const signed = await signRedemption(stack, scene.retailerWallet, scene.program, "150");
    const redemption = await scene.retailer.api.post("/v1/redemptions", signed);
    expect(redemption.status, JSON.stringify(redemption.body)).toBe(202);
    const done = await settled(scene.retailer.api, redemption.body.id);
    expect(done.body.status).toBe("confirmed");
    await indexAll();

    const report = await sponsor.api.get("/v1/sponsors/me/fund-flow");
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const { body } = report;
    expect(body.totals).toEqual({ deposited: "3", drawn: "1.5", fees: "0.0075", paidToRetailers: "1.4925", withdrawn: "0", left: "1.5" });
    const retailer = scene.retailerWallet.address;
    const when = async (block: number) => new Date((await stack.chain.provider.getBlock(block))!.timestamp * 1000).toISOString();
    const drawAt = {
      ...{ redemptionId: done.body.vaultRedemptionId, retailer, retailerName: "Warung Bu Tini", txHash: done.body.txHash, blockNumber: done.body.blockNumber },
      at: await when(done.body.blockNumber),
    };
    const token = scene.program.token;
    // The fee split: floor(7,500 × 1/1.5) = 5,000 units to the first draw, the remaining 2,500 to the last.
    expect(body.deposits).toEqual([
      {
        ...{ depositId: relayed.body.depositId, program: token, programName: scene.program.name, amount: "1", drawn: "1", withdrawn: "0", left: "0", withdrawal: null },
        ...{ txHash: relayed.body.txHash, blockNumber: relayed.body.blockNumber, at: await when(relayed.body.blockNumber) },
        draws: [{ ...drawAt, amount: "1", fee: "0.005", net: "0.995" }],
      },
      {
        ...{ depositId: relayed.body.depositId + 1, program: token, programName: scene.program.name, amount: "2", drawn: "0.5", withdrawn: "0", left: "1.5", withdrawal: null },
        ...{ txHash: direct.hash, blockNumber: direct.blockNumber, at: await when(direct.blockNumber) },
        draws: [{ ...drawAt, amount: "0.5", fee: "0.0025", net: "0.4975" }],
      },
    ]);
    // The period in dates: the node's times of the report's first and last blocks; and the sponsor by its name.
    expect(body.period).toEqual({
      from: { blockNumber: body.fromBlock, at: await when(body.fromBlock) },
      to: { blockNumber: body.toBlock, at: await when(body.toBlock) },
    });
    expect(body.sponsorName).toBe("Sabun Segar Nusantara");
    const [program] = body.programs;
    expect(program.name).toBe(scene.program.name);
    // 4 HDPE tokens are still out (the PET ones were redeemed and burned): 0.04 tUSD owed against 1.5 left.
    expect(program.solvency).toMatchObject({ outstandingValue: "0.04", depositsLeft: "1.5", solvent: true });
    expect(program.collections).toMatchObject({ count: 2, kg: "62", tokens: "154" });
    const materials = program.collections.byMaterial.map((g: any) => [g.key, g.kg, g.tokens]);
    expect(materials).toEqual([["HDPE", "2", "4"], ["PET", "60", "150"]]);
    expect(program.collections.byPoint.map((g: any) => g.key)).toEqual(["Point Ketapang"]);
    for (const credit of program.collections.credits) expect(credit.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    // Block times are asked of the node once: read again over the same blocks, the report asks it for none. (The
    // in-process operator's finality watcher asks for the head every 250 ms meanwhile: not the report's doing.)
    const getBlock = vi.spyOn(stack.app.chain.provider, "getBlock");
    expect((await sponsor.api.get("/v1/sponsors/me/fund-flow")).body).toEqual(body);
    expect(getBlock.mock.calls.filter(([block]) => block !== "latest" && block !== "finalized")).toEqual([]);
    getBlock.mockRestore();

    // An admin sees the same report for any sponsor; a sponsor only its own.
    const admin = client(stack.app, stack.adminKey);
    expect((await admin.get(`/v1/sponsors/me/fund-flow?sponsor=${sponsor.wallet.address}`)).body).toEqual(body);
    expect((await sponsor.api.get(`/v1/sponsors/me/fund-flow?sponsor=${retailer}`)).status).toBe(403);

    // The CSV: one row per deposit and per draw, whose columns add up to the JSON's totals, then the collections
    // by material, point and week; each row names its program.
    const csv = await sponsor.api.get("/v1/sponsors/me/fund-flow", { accept: "text/csv" });
    expect(csv.raw.headers["content-type"]).toMatch(/^text\/csv/);
    const text = csv.raw.body;
    const csvRows: string[][] = text.trim().split("\n").map((row: string) => row.split(","));
    expect(csvRows.slice(1).map((row: string[]) => row[0])).toEqual(["deposit", "draw", "deposit", "draw", "collection", "collection"]);
    const column = (row: string[] | undefined, name: string) => row?.[csvRows[0]!.indexOf(name)];
    expect(csvRows.slice(1).every((row: string[]) => column(row, "program") === token && column(row, "program_name") === scene.program.name)).toBe(true);
    expect(column(csvRows[2], "retailer_name")).toBe("Warung Bu Tini");
    const week = program.collections.byWeek[0].key;
    const collectionRows = csvRows.filter((row: string[]) => row[0] === "collection");
    expect(collectionRows.map((row: string[]) => ["material", "point", "week", "collections", "kg", "tokens"].map((name) => column(row, name)))).toEqual([
      ["HDPE", "Point Ketapang", week, "1", "2", "4"],
      ["PET", "Point Ketapang", week, "1", "60", "150"],
    ]);
    const totals = [csvTotal(text, "amount", "deposit"), csvTotal(text, "amount", "draw"), csvTotal(text, "fee", "draw"), csvTotal(text, "left", "deposit")];
    expect(totals).toEqual([3_000_000n, 1_500_000n, 7_500n, 1_500_000n]);

    // The key comes from the environment: one on the command line would stay in the shell's history.
    const keyOnCommandLine = await verify(sponsor.wallet.address, sponsor.key, ["--key", sponsor.key]);
    expect(keyOnCommandLine.code).toBe(2);
    expect(keyOnCommandLine.output).toContain("RECIRCLE_API_KEY");

    const honest = await verify(sponsor.wallet.address, sponsor.key);
    expect(honest.output).toContain("the API agrees, and its 2 credited collection(s) match their transactions");
    expect(honest.output).toContain("the funded program(s) credited 2 event(s), 154 tokens, in these blocks");
    expect(honest.code).toBe(0);

    // Up to the direct deposit's block: both deposits, nothing drawn yet; the chain agrees over that window too.
    const window = await sponsor.api.get(`/v1/sponsors/me/fund-flow?to=${direct.blockNumber}`);
    expect(window.body).toMatchObject({ toBlock: direct.blockNumber, totals: { deposited: "3", drawn: "0", left: "3" } });
    expect(window.body.programs[0].solvency).toMatchObject({ outstandingValue: "1.54", depositsLeft: "3", blockNumber: direct.blockNumber });
    const windowed = await verify(sponsor.wallet.address, sponsor.key, ["--to", String(direct.blockNumber)]);
    expect(windowed.output).toContain(`blocks ${stack.deployment.startBlock}–${direct.blockNumber} (${(await when(stack.deployment.startBlock)).slice(0, 10)} – ${(await when(direct.blockNumber)).slice(0, 10)})`);
    expect(windowed.code).toBe(0);

    // Someone edits an indexed draw and a credited amount: the API now says otherwise, and the chain says so.
    await stack.sql`
      update chain_events set args = jsonb_set(args, '{amount}', '"900000"')
      where name = 'DepositDrawn' and args->>'depositId' = ${String(relayed.body.depositId)}`;
    await stack.sql`
      update chain_events set args = jsonb_set(args, '{amount}', '"9000000000000000000"')
      where name = 'Credited' and args->>'eventId' = ${String(earned.body.id)}`;
    const tampered = await verify(sponsor.wallet.address, sponsor.key);
    expect(tampered.code).toBe(1);
    const draw = `deposits.#${relayed.body.depositId}.draws.redemption #${drawAt.redemptionId}.amount`;
    expect(tampered.output).toContain(`${draw}: chain says "1", API says "0.9"`);
    expect(tampered.output).toContain(`credit of event ${earned.body.id}`);
    expect(tampered.output).toContain("chain says 4 tokens, API says 9");
  });

  it("counts a lot's delayed bonuses in the tokens of their drop-offs (not in kg) and lists a reversed credit with its reversal; verify agrees", async () => {
    const admin = client(stack.app, stack.adminKey);
    const created = await admin.post("/v1/programs", { name: "Bonus Plastic", symbol: "BNP", kind: "recycling", rates: { PET: "10" }, bonusShareBps: 3000, redemptionRate: "0.01" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const program = created.body;
    const point = await admit(stack, "collection_point", "Point Bonus");
    expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: point.id })).status).toBe(201);
    const collector = Wallet.createRandom().address;
    expect((await point.api.post("/v1/collectors", { address: collector, displayName: "B" })).status).toBe(201);
    const processor = await admit(stack, "processor", "Bonus Pellets", Wallet.createRandom().address);
    expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: processor.id })).status).toBe(201);
    const dropOff = async (grams: number) => {
      const reply = await point.api.post("/v1/collections", { programId: program.id, collector, material: "PET", grams }, idempotencyKey());
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      await eventually(() => point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
      return reply.body.id as number;
    };
    const inLot = [await dropOff(1_000), await dropOff(2_500)]; // 10 and 25 tokens: 7 + 17.5 now, 3 + 7.5 held
    const reversed = await dropOff(200); // 2 tokens: 1.4 now (reversed below), 0.6 held and never paid
    const reversal = await admin.post(`/v1/events/${reversed}/reverse`, { reason: "scale misread" });
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(200);
    const sponsor = await sponsorWithFunds(stack, "1");
    await depositDirectly(stack, sponsor.wallet, program.token, "1");

    await indexAll();
    const before = (await sponsor.api.get("/v1/sponsors/me/fund-flow")).body.programs[0].collections;
    expect(before).toMatchObject({ count: 3, kg: "3.7", tokens: "25.9", reversed: { count: 1, kg: "0.2", tokens: "1.4" } });

    const lot = await processor.api.post("/v1/lots", { programId: program.id, material: "PET", collectionIds: inLot });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    const confirmed = await processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const token = stack.chain.token(program.token);
    await eventually(() => token.balanceOf(collector), (balance) => balance === 35n * 10n ** 18n);
    await indexAll();

    const report = await sponsor.api.get("/v1/sponsors/me/fund-flow");
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const collections = report.body.programs[0].collections;
    // Tokens: base + bonus (25.9 + 3 + 7.5); kg and the count of drop-offs unchanged.
    expect(collections).toMatchObject({ count: 3, kg: "3.7", tokens: "36.4", reversed: { count: 1, kg: "0.2", tokens: "1.4" } });
    const week = before.credits[0].week;
    expect(collections.byMaterial).toEqual([expect.objectContaining({ key: "PET", count: 3, kg: "3.7", tokens: "36.4" })]);
    expect(collections.byPoint).toEqual([expect.objectContaining({ key: "Point Bonus", count: 3, kg: "3.7", tokens: "36.4" })]);
    expect(collections.byWeek.map((g: any) => [g.key, g.tokens])).toEqual([[week, "36.4"]]);
    const bonuses = collections.credits.filter((c: any) => c.bonusOf !== null);
    expect(bonuses.map((c: any) => [c.bonusOf, c.kg, c.tokens, c.material, c.point, c.week, c.reversal])).toEqual([
      [inLot[0], "0", "3", "PET", "Point Bonus", week, null],
      [inLot[1], "0", "7.5", "PET", "Point Bonus", week, null],
    ]);
    expect(confirmed.body.bonusEventIds).toEqual(bonuses.map((c: any) => c.eventId));
    for (const bonus of bonuses) expect(collections.byMaterial[0].txHashes).toContain(bonus.txHash);
    const clawedBack = collections.credits.find((c: any) => c.eventId === reversed);
    expect(clawedBack).toMatchObject({ tokens: "1.4", kg: "0.2", bonusOf: null, reversal: { txHash: expect.stringMatching(/^0x/) } });

    const honest = await verify(sponsor.wallet.address, sponsor.key);
    expect(honest.output).toContain("the funded program(s) credited 5 event(s), 36.4 tokens, in these blocks; the API counts 5 of them");
    expect(honest.code, honest.output).toBe(0);
  });

  it("refuses a deposit whose signatures are not the sponsor's", async () => {
    const scene = await redemptionScene(stack, { kg: 4, amount: "1" });
    const sponsor = await sponsorWithFunds(stack, "1");
    const other = await sponsorWithFunds(stack, "1");
    const forged = await signDeposit(stack, sponsor.wallet, scene.program, "1", { signer: other.wallet });
    const reply = await sponsor.api.post("/v1/deposits", forged);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("RC_INVALID_PERMIT");
    const mixed = { ...(await signDeposit(stack, sponsor.wallet, scene.program, "1")), depositSignature: forged.depositSignature };
    expect((await sponsor.api.post("/v1/deposits", mixed)).body.error.code).toBe("RC_INVALID_DEPOSIT_SIGNATURE");
  });

  it("refuses a deposit the vault would refuse, and a replayed one, without sending anything", async () => {
    const scene = await redemptionScene(stack, { kg: 4, amount: "1" });
    const sponsor = await sponsorWithFunds(stack, "1");
    const nonce = () => stack.chain.provider.getTransactionCount(stack.chain.writer.address);
    const before = await nonce();
    const tooMuch = await sponsor.api.post("/v1/deposits", await signDeposit(stack, sponsor.wallet, scene.program, "2"));
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe("RC_ERC20_INSUFFICIENT_BALANCE");
    expect(await nonce()).toBe(before);

    const body = await signDeposit(stack, sponsor.wallet, scene.program, "1");
    expect((await sponsor.api.post("/v1/deposits", body)).status).toBe(201);
    const replay = await sponsor.api.post("/v1/deposits", body);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("RC_INVALID_PERMIT"); // the permit's nonce was used
  });

  it("documents the report as JSON and as CSV in the OpenAPI document", async () => {
    const { body } = await client(stack.app).get("/openapi.json");
    const ok = body.paths["/v1/sponsors/me/fund-flow"].get.responses["200"].content;
    expect(Object.keys(ok)).toEqual(["application/json", "text/csv"]);
    expect(body.paths["/v1/deposits"].post.requestBody.content["application/json"].schema.required).toContain("depositSignature");
  });

  it("asks an admin whose report it wants", async () => {
    const reply = await client(stack.app, stack.adminKey).get("/v1/sponsors/me/fund-flow");
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("RC_SPONSOR_REQUIRED");
  });
});
