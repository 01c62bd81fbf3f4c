import { toBeHex } from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RpcProxy, startRpcProxy } from "../../../harness/lib/rpc-proxy.js";
import { createProvider } from "../../../services/chain/network.js";
import { passkeySigner, type SignerChange, signerChangeDigest } from "../../../services/core/account-signers.js";
import { CollectorAccountFactory__factory } from "../../../types/ethers-contracts/index.js";
import { SoftwarePasskey } from "../../../harness/lib/software-passkey.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The service behind a provider that refuses eth_getLogs over more than K blocks (Infura's and QuickNode's
 * 10,000, Alchemy's 500), on a chain whose deployment is more than K blocks old: every log the flows look up
 * since the deployment's start must still be found. K is the indexer's own batch, so only the unbounded
 * look-ups meet the refusal; CHAIN_LOG_RANGE keeps its default (10,000), so the first windows are refused
 * too and halved until the provider takes them.
 */
const K = 2_000;
const node = createProvider(inject("chainUrl"));
let proxy: RpcProxy;
let stack: Stack;
beforeAll(async () => {
  proxy = await startRpcProxy({ upstream: inject("chainUrl"), seed: 20_261_203, maxLogRange: K });
  stack = await startStack({ env: { CHAIN_RPC_URLS: proxy.url, CHAIN_WRITE_WAIT_MS: "20000" } });
  // Blocks enough that the deployment's start is more than K below the head, all with the head's timestamp:
  // other tests' deadlines on this node keep their meaning.
  const behind = (await node.getBlockNumber()) - stack.deployment.startBlock;
  if (behind <= 2 * K) await node.send("hardhat_mine", [toBeHex(2 * K - behind + 1), "0x0"]);
});
afterAll(async () => {
  await stack?.close();
  await proxy?.close();
  node.destroy();
});

/** POST /v1/account-signers: the first passkey of a not-yet-created `account` adds `signer`. */
async function addSigner(account: string, passkey: SoftwarePasskey, signer: string) {
  // From the chain's clock: the run's node, a block for every transaction of every file, runs ahead of ours.
  const now = Math.max(Math.floor(Date.now() / 1000), (await node.getBlock("latest"))!.timestamp);
  const change: SignerChange = { kind: "add", signer, nonce: 0n, deadline: BigInt(now + 600) };
  const signature = passkey.assert(signerChangeDigest(BigInt(stack.chain.chainId), account, change));
  return anonymous(stack).post("/v1/account-signers", {
    account, change: "add", signer, nonce: 0, deadline: Number(change.deadline), signature, passkey: { qx: passkey.qx, qy: passkey.qy },
  });
}

describe("log look-ups behind a provider that caps eth_getLogs ranges", () => {
  it("settles a reversal a transaction already carried out, from its CreditReversed log", async () => {
    expect((await node.getBlockNumber()) - stack.deployment.startBlock).toBeGreaterThan(2 * K);
    const scene = await recyclingScene(stack);
    const reply = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 4_000 },
      idempotencyKey(),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const { body: credit } = await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
    // The reversal reaches the chain without the service's record of it: a write whose hash was lost.
    const token = stack.chain.token(scene.program.token);
    const direct = await stack.chain.writer.sendAndWait(
      await token.reverseCredit.populateTransaction(BigInt(credit.id), scene.collector.address, 10n ** 19n),
    );
    const refusedBefore = proxy.stats().tooWideLogs;

    const reversed = await scene.admin.post(`/v1/events/${credit.id}/reverse`, { reason: "scale misread" });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    expect(reversed.body).toMatchObject({ eventId: credit.id, amount: "10", burned: "10", txHash: direct.hash });
    // The provider did refuse the wide windows: the halving, not a lenient proxy, found the log.
    expect(proxy.stats().tooWideLogs).toBeGreaterThan(refusedBefore);
  });

  it("finds the passkey account a second passkey was added to (GET /v1/account-signers)", async () => {
    const scene = await recyclingScene(stack);
    const passkey = new SoftwarePasskey();
    const factory = CollectorAccountFactory__factory.connect(stack.deployment.contracts.collectorAccounts!, node);
    const account = await factory.accountAddress(passkey.qx, passkey.qy);
    expect((await scene.point.api.post("/v1/collectors", { address: account, displayName: "Wati" })).status).toBe(201);
    const phone = new SoftwarePasskey();
    const added = await addSigner(account, passkey, passkeySigner(phone));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const refusedBefore = proxy.stats().tooWideLogs;

    const found = await anonymous(stack).get(`/v1/account-signers?signer=${passkeySigner(phone)}`);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.accounts).toEqual([account]);
    expect(proxy.stats().tooWideLogs).toBeGreaterThan(refusedBefore);
    const stranger = await anonymous(stack).get(`/v1/account-signers?signer=${passkeySigner(new SoftwarePasskey())}`);
    expect(stranger.body.accounts).toEqual([]);
  });
});
