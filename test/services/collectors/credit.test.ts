import { type HDNodeWallet, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_OPERATOR_KEY } from "../../../services/chain/network.js";
import { CREDIT_STATEMENT_TYPES, creditStatementDomain, factorsHash, verifyCreditStatement, type CreditStatement } from "../../../services/core/credit-statement.js";
import { client } from "../../support/client.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { sessionOf as sessionAs } from "../../support/collector-session.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
let scene: Awaited<ReturnType<typeof paymentScene>>;
const operator = new Wallet(DEV_OPERATOR_KEY).address;
const now = () => Math.floor(Date.now() / 1000);

const sessionOf = (wallet: Wallet | HDNodeWallet) => sessionAs(stack, wallet);

beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50" } });
  worker = await startTestPaymentWorker(stack);
  // The collector earns 10 tokens today and pays a retailer 2.5 of them, settled on chain.
  scene = await paymentScene(stack);
  const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "2.5", { nonces: scene.nonces });
  const accepted = await anonymous(stack).post("/v1/payments", body);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

describe("a collector's credit history", () => {
  it("returns the score and its factors from the ledger, with a statement that verifies offline against the operator", async () => {
    const api = await sessionOf(scene.collector);
    const reply = await api.get(`/v1/collectors/${scene.collector.address.toLowerCase()}/credit`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const { score, asOf, factors, statement, signature, signer } = reply.body;

    // A first credit today (week 1 of 12, no baseline for a trend) and one settled payment: (0·25 + 83·35 + 500·15 + 666·25) / 100.
    expect(factors.map((f: { name: string; value: number; weight: number }) => [f.name, f.value, f.weight])).toEqual([
      ["tenure", 0, 25],
      ["regularity", 83, 35],
      ["volumeTrend", 500, 15],
      ["paymentBehaviour", 666, 25],
    ]);
    expect(factors[3].explanation).toBe("1 payment(s) settled, 0 failed");
    expect(score).toBe(270);
    expect(Math.abs(Date.parse(asOf) / 1000 - now())).toBeLessThan(30);

    expect(statement).toEqual({ collector: scene.collector.address, score, asOf: Date.parse(asOf) / 1000, factorsHash: factorsHash(factors) });
    expect(signer).toBe(operator);
    expect(verifyCreditStatement(statement, signature, operator, stack.chain.chainId)).toBe(true);
  });

  it("fails verification when the score or the collector is altered or another key signed", async () => {
    const reply = await client(stack.app, stack.adminKey).get(`/v1/collectors/${scene.collector.address}/credit`);
    expect(reply.status).toBe(200);
    const statement = reply.body.statement as CreditStatement;
    const signature = reply.body.signature as string;
    const chainId = stack.chain.chainId;
    expect(verifyCreditStatement(statement, signature, operator, chainId)).toBe(true);
    expect(verifyCreditStatement({ ...statement, score: 1000 }, signature, operator, chainId)).toBe(false);
    expect(verifyCreditStatement({ ...statement, collector: Wallet.createRandom().address }, signature, operator, chainId)).toBe(false);

    const impostor = Wallet.createRandom();
    const forged = await impostor.signTypedData(creditStatementDomain(chainId), CREDIT_STATEMENT_TYPES, { ...statement, score: 1000 });
    expect(verifyCreditStatement({ ...statement, score: 1000 }, forged, operator, chainId)).toBe(false);
    expect(verifyCreditStatement({ ...statement, score: 1000 }, forged, impostor.address, chainId)).toBe(true);
  });

  it("refuses another wallet's session with 403 and no key with 401; an admin reads an empty ledger as a neutral low score", async () => {
    const url = `/v1/collectors/${scene.collector.address}/credit`;
    const stranger = await sessionOf(Wallet.createRandom());
    const other = await stranger.get(url);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("RC_NOT_YOUR_WALLET");
    expect((await anonymous(stack).get(url)).status).toBe(401);
    expect((await scene.retailer.api.get(url)).status).toBe(403);

    const nobody = Wallet.createRandom().address;
    const empty = await client(stack.app, stack.adminKey).get(`/v1/collectors/${nobody}/credit`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ score: 125, statement: { collector: nobody, score: 125 } });
    expect(verifyCreditStatement(empty.body.statement, empty.body.signature, operator, stack.chain.chainId)).toBe(true);
  });

  it("counts tenure from the first credit, however old, and regularity only in the last 12 weeks", async () => {
    // Back-date the collector's one credit by 200 days, as if it had been recorded then.
    await stack.sql`update events set created_at = now() - interval '200 days 1 hour' where beneficiary = ${scene.collector.address}`;
    const reply = await client(stack.app, stack.adminKey).get(`/v1/collectors/${scene.collector.address}/credit`);
    expect(reply.body.factors.map((f: { value: number }) => f.value)).toEqual([Math.floor((200 * 1000) / 365), 0, 0, 666]);
    expect(reply.body.factors[0].explanation).toBe("first credit 200 days ago (full marks from 365)");
  });

  it("counts nothing for a credit an admin reversed", async () => {
    const [credit] = await stack.sql<{ id: bigint }[]>`select id from events where beneficiary = ${scene.collector.address}`;
    const reversed = await client(stack.app, stack.adminKey).post(`/v1/events/${credit!.id}/reverse`, { reason: "scale mis-set" });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    const reply = await client(stack.app, stack.adminKey).get(`/v1/collectors/${scene.collector.address}/credit`);
    // No credit left: tenure, regularity and volume fall to 0, as for a wallet that never earned; the
    // settled payment still counts.
    expect(reply.body.factors.map((f: { value: number }) => f.value)).toEqual([0, 0, 0, 666]);
  });
});
