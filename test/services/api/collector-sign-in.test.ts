import { TypedDataEncoder, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { LOGIN_TYPES, LOGIN_WINDOW_S, loginDomain } from "../../../services/core/collector-login.js";
import { CollectorAccountFactory__factory } from "../../../types/ethers-contracts/index.js";
import { SoftwarePasskey, wrappedForCreation } from "../../../harness/lib/software-passkey.js";
import { client } from "../../support/client.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const signIn = (address: string, issuedAt: number, signature: string) => client(stack.app).post("/v1/auth/collector", { address, issuedAt, signature });
const loginDigest = (wallet: string, issuedAt: number, chainId = stack.chain.chainId) =>
  TypedDataEncoder.hash(loginDomain(chainId), LOGIN_TYPES, { wallet, issuedAt });

describe("a collector's sign-in with a key", () => {
  const wallet = Wallet.createRandom();
  const sign = (issuedAt: number, chainId = stack.chain.chainId, as = wallet.address) =>
    wallet.signTypedData(loginDomain(chainId), LOGIN_TYPES, { wallet: as, issuedAt });

  it("opens a session for the wallet's own login within the window, either side of the server's clock", async () => {
    for (const issuedAt of [now(), now() - LOGIN_WINDOW_S + 5, now() + LOGIN_WINDOW_S - 5]) {
      const reply = await signIn(wallet.address.toLowerCase(), issuedAt, await sign(issuedAt));
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
  });

  it("says the server's time to a stale login, and refuses another wallet's and another chain's", async () => {
    const late = now() - LOGIN_WINDOW_S - 30;
    const stale = await signIn(wallet.address, late, await sign(late));
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe("RC_LOGIN_STALE");
    expect(Math.abs(stale.body.error.details.serverTime - now())).toBeLessThan(5);
    const issuedAt = now();
    for (const reply of [
      await signIn(Wallet.createRandom().address, issuedAt, await sign(issuedAt)),
      await signIn(wallet.address, issuedAt, await sign(issuedAt, stack.chain.chainId + 1)),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("RC_INVALID_SIGNATURE");
    }
  });
});

describe("a collector's sign-in with a passkey account", () => {
  it("reads its balance before its account exists, by the assertion its first signature wraps", async () => {
    const scene = await recyclingScene(stack);
    const factory = CollectorAccountFactory__factory.connect(stack.chain.deployment.contracts.collectorAccounts!, stack.chain.provider);
    const passkey = new SoftwarePasskey();
    const account = await factory.accountAddress(passkey.qx, passkey.qy);
    expect((await scene.point.api.post("/v1/collectors", { address: account })).status).toBe(201);
    const drop = await scene.point.api.post("/v1/collections", { programId: scene.program.id, collector: account, material: "PET", grams: 2000 }, idempotencyKey());
    await eventually(() => scene.point.api.get(`/v1/collections/${drop.body.id}`), (r) => r.body.status === "confirmed");

    const wrapped = (signer: SoftwarePasskey, issuedAt: number) =>
      wrappedForCreation(String(factory.target), signer, signer.assert(loginDigest(account, issuedAt)));
    const issuedAt = now();
    const forged = await signIn(account, issuedAt, wrapped(new SoftwarePasskey(), issuedAt));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("RC_INVALID_SIGNATURE");
    const unwrapped = await signIn(account, issuedAt, passkey.assert(loginDigest(account, issuedAt)));
    expect(unwrapped.status).toBe(401);

    const opened = await signIn(account, issuedAt, wrapped(passkey, issuedAt));
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const read = await client(stack.app, opened.body.token).get(`/v1/collectors/${account}`);
    expect(read.status).toBe(200);
    expect(read.body.balances[0].balance).toBe("5");
    expect(await stack.chain.provider.getCode(account)).toBe("0x");

    // Once the account exists, its plain assertion signs in.
    // Anyone may create it (a relayer does, with its first payment); here a worker's dev key.
    const anyone = new Wallet(DEV_WORKER_KEYS[1]!, stack.chain.provider);
    await (await factory.connect(anyone).createAccount(passkey.qx, passkey.qy)).wait();
    const again = now();
    expect((await signIn(account, again, passkey.assert(loginDigest(account, again)))).status).toBe(200);
  });
});
