import { VRS } from "../../../services/chain/eip3009.js";
import { formatUnits, type HDNodeWallet, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainIndexer } from "../../../services/engines/indexer.js";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { LOGIN_TYPES, loginDomain } from "../../../services/core/collector-login.js";
import { signSessionToken } from "../../../services/core/session-tokens.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { client } from "../../support/client.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { signIn as signInAs } from "../../support/collector-session.js";
import { readCheckpoint } from "../../../services/db/chain-events.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
let scene: Awaited<ReturnType<typeof paymentScene>>;
let paymentTx: string;
let directTx: string;

const now = () => Math.floor(Date.now() / 1000);

const signIn = (wallet: Wallet | HDNodeWallet, issuedAt?: number) => signInAs(stack, wallet, issuedAt);

const tokenOf = (address: string) => stack.chain.token(scene.program.token).balanceOf(address);

beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50" } });
  worker = await startTestPaymentWorker(stack);

  // The collector earns 10 tokens, pays the retailer 2.5 through the API…
  scene = await paymentScene(stack);
  const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "2.5", { nonces: scene.nonces });
  const accepted = await anonymous(stack).post("/v1/payments", body);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  const settled = await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");
  paymentTx = settled.body.txHash;

  // …and 1 more that someone relays on chain without us: no payment row explains it.
  const direct = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
  const relayer = new Wallet(DEV_WORKER_KEYS[1], stack.chain.provider);
  const a = direct.authorization;
  const { v, r, s } = (await import("ethers")).Signature.from(direct.signature);
  const sent = await RewardToken__factory.connect(scene.program.token, relayer)[VRS.transferWithAuthorization](
    a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s,
  );
  expect((await stack.chain.waitForReceipt(sent.hash))?.status).toBe(1);
  directTx = sent.hash;

  await new ChainIndexer(stack.sql, stack.chain, { confirmations: 0 }).runOnce();
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

describe("collector sign-in and reads", () => {
  it("signs in with the wallet and reads its own balance, as on chain, and its history with tx hashes", async () => {
    const session = await signIn(scene.collector);
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(session.body.expiresAt - now()).toBeGreaterThan(14 * 60);
    expect(session.body.expiresAt - now()).toBeLessThanOrEqual(15 * 60);

    const read = await client(stack.app, session.body.token).get(`/v1/collectors/${scene.collector.address.toLowerCase()}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ address: scene.collector.address, registered: true, displayName: "Sari" });
    // The block the indexer stopped at (the node mines on an interval, so the head may have moved on since).
    expect(read.body.indexedBlock).toBe((await readCheckpoint(stack.sql))!.blockNumber);
    expect(read.body.balances).toEqual([
      {
        programId: scene.program.id,
        name: "Ocean Plastic",
        symbol: "OCP",
        token: scene.program.token,
        balance: formatUnits(await tokenOf(scene.collector.address), 18).replace(/\.0$/, ""),
      },
    ]);
    expect(read.body.balances[0].balance).toBe("6.5");

    const history = read.body.history as { reason: string; txHash: string }[];
    const credit = history.find((item) => item.reason === "RC_COLLECTION_CREDIT");
    const paid = history.find((item) => item.reason === "RC_PAYMENT_OUT");
    expect(credit).toMatchObject({ kind: "collection", direction: "in", amount: "10", status: "confirmed", material: "PET", grams: 4000, holdReasons: [] });
    expect(credit!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(paid).toMatchObject({ kind: "payment", direction: "out", amount: "2.5", status: "confirmed", txHash: paymentTx });
    expect(paid).toMatchObject({ counterparty: scene.retailerWallet.address });
    expect(history.indexOf(paid!)).toBeLessThan(history.indexOf(credit!));
    // The transfer relayed without us, and nothing else: the mint and the API payment are not listed twice.
    expect(history.filter((item) => item.txHash === directTx)).toEqual([
      expect.objectContaining({ kind: "transfer", reason: "RC_TRANSFER_OUT", amount: "1", counterparty: scene.retailerWallet.address }),
    ]);
    expect(history).toHaveLength(3);
  });

  it("refuses another wallet's session on this address with 403, and expired or garbled tokens with 401", async () => {
    const url = `/v1/collectors/${scene.collector.address}`;
    const stranger = await signIn(Wallet.createRandom());
    expect(stranger.status).toBe(200);
    const other = await client(stack.app, stranger.body.token).get(url);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("RC_NOT_YOUR_WALLET");

    const expired = signSessionToken({ sub: scene.collector.address, exp: now() - 1 }, stack.config.sessionSecret!);
    const session = (await signIn(scene.collector)).body.token as string;
    const [payload, mac] = session.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: scene.collector.address, exp: now() + 86_400 })).toString("base64url");
    for (const [token, code] of [
      [expired, "RC_SESSION_EXPIRED"],
      [`${payload}.${mac!.startsWith("A") ? "B" : "A"}${mac!.slice(1)}`, "RC_SESSION_INVALID"],
      [`${forged}.${mac}`, "RC_SESSION_INVALID"],
      [signSessionToken({ sub: scene.collector.address, exp: now() + 60 }, "x".repeat(32)), "RC_SESSION_INVALID"],
      ["garbled.token", "RC_SESSION_INVALID"],
      ["rck_not-a-key", "RC_UNAUTHORIZED"],
    ] as const) {
      const reply = await client(stack.app, token).get(url);
      expect(reply.status, token).toBe(401);
      expect(reply.body.error.code).toBe(code);
    }
    expect((await anonymous(stack).get(url)).status).toBe(401);
    const retailer = await client(stack.app, scene.retailer.key).get(url);
    expect(retailer.status).toBe(403);
    expect(retailer.body.error.code).toBe("RC_WRONG_ROLE");
  });

  it("refuses a login outside the 300 s window with 400 and a signature by another wallet with 401", async () => {
    const stale = await signIn(scene.collector, now() - 301);
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatchObject({ code: "RC_LOGIN_STALE", details: { serverTime: expect.any(Number) } });
    expect((await signIn(scene.collector, now() + 400)).status).toBe(400);

    const issuedAt = now();
    const impostor = Wallet.createRandom();
    const signature = await impostor.signTypedData(loginDomain(stack.chain.chainId), LOGIN_TYPES, { wallet: scene.collector.address, issuedAt });
    const reply = await anonymous(stack).post("/v1/auth/collector", { address: scene.collector.address, issuedAt, signature });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("RC_INVALID_SIGNATURE");
  });

  it("lets an admin key read any collector", async () => {
    const read = await client(stack.app, stack.adminKey).get(`/v1/collectors/${scene.collector.address}`);
    expect(read.status).toBe(200);
    expect(read.body.balances[0].balance).toBe("6.5");
    const nobody = Wallet.createRandom().address;
    const empty = await client(stack.app, stack.adminKey).get(`/v1/collectors/${nobody}`);
    expect(empty.body).toMatchObject({ address: nobody, registered: false, balances: [], history: [] });
  });

  it("shows the retailer the payment it received and its balance as on chain", async () => {
    const me = await scene.retailer.api.get("/v1/retailers/me");
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({ id: scene.retailer.id, address: scene.retailerWallet.address, redemptions: [] });
    expect(me.body.payments).toEqual([
      expect.objectContaining({ from: scene.collector.address, value: "2.5", status: "confirmed", txHash: paymentTx }),
    ]);
    expect(await tokenOf(scene.retailerWallet.address)).toBe(3_500_000_000_000_000_000n);
    expect(me.body.balances).toEqual([expect.objectContaining({ programId: scene.program.id, symbol: "OCP", balance: "3.5" })]);
    expect((await scene.point.api.get("/v1/retailers/me")).status).toBe(403);
  });
});

describe("the queue board", () => {
  it("answers 401 without a key, 403 to a non-admin and 200 to the admin key", async () => {
    const none = await anonymous(stack).get("/admin/queues");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("RC_UNAUTHORIZED");
    expect(none.raw.headers["www-authenticate"]).toMatch(/^Basic/);
    expect((await client(stack.app, scene.retailer.key).get("/admin/queues")).status).toBe(403);
    expect((await anonymous(stack).get("/admin/queues/api/queues")).status).toBe(401);

    const page = await client(stack.app, stack.adminKey).get("/admin/queues");
    expect(page.status).toBe(200);
    expect(page.raw.headers["content-type"]).toMatch(/text\/html/);
    const queues = await client(stack.app, stack.adminKey).get("/admin/queues/api/queues");
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(["payments", "redemptions"]);

    // A browser asked for Basic credentials sends the admin key as the password.
    const basic = Buffer.from(`admin:${stack.adminKey}`).toString("base64");
    expect((await anonymous(stack).get("/admin/queues", { authorization: `Basic ${basic}` })).status).toBe(200);
  });
});
