import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ runBatcher: false, env: { PUBLIC_CHAIN_RPC_URL: "https://rpc.example.org/key" } });
});
afterAll(async () => stack?.close());

describe("what the web app's pages read", () => {
  it("GET /v1/network tells anyone the chain, the contracts and each program's token domain", async () => {
    const { program } = await recyclingScene(stack);
    const reply = await client(stack.app).get("/v1/network");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      chainId: stack.chain.chainId,
      rpcUrl: "https://rpc.example.org/key",
      explorerUrl: null,
      startBlock: stack.deployment.startBlock,
      contracts: {
        vault: stack.deployment.contracts.vault,
        stablecoin: stack.deployment.contracts.stablecoin,
        collectorAccounts: stack.deployment.contracts.collectorAccounts,
      },
      stablecoin: { decimals: 6, symbol: "tUSD" },
    });
    expect(reply.body.programs).toEqual([
      {
        id: program.id,
        name: "Ocean Plastic",
        symbol: "OCP",
        token: program.token,
        kind: "recycling",
        materials: ["PET", "HDPE"],
        rates: { PET: "2.5", HDPE: "2" },
        redemptionRate: "0.01",
        phoneCountry: "ID",
      },
    ]);
  });

  it("GET /v1/members/me names the key's member, and refuses no key or a forged one", async () => {
    const shop = Wallet.createRandom();
    const retailer = await admit(stack, "retailer", "Warung Sari", shop.address);
    expect((await retailer.api.get("/v1/members/me")).body).toEqual({ id: retailer.id, kind: "retailer", name: "Warung Sari", address: shop.address, active: true, programs: [] });
    const { program, point } = await recyclingScene(stack);
    expect((await point.api.get("/v1/members/me")).body.programs).toEqual([{ programId: program.id, role: "issuer" }]);
    expect((await client(stack.app).get("/v1/members/me")).status).toBe(401);
    expect((await client(stack.app, "rc_forged_key_0000000000000000").get("/v1/members/me")).status).toBe(401);
  });

  it("GET /v1/retailers/me/permit gives what a redemption permit signs, at the token's current nonce", async () => {
    const { program } = await recyclingScene(stack);
    const shop = Wallet.createRandom();
    const retailer = await admit(stack, "retailer", "Toko Budi", shop.address);
    const reply = await retailer.api.get(`/v1/retailers/me/permit?programId=${program.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      domain: { name: "Ocean Plastic", version: "1", chainId: stack.chain.chainId, verifyingContract: program.token },
      owner: shop.address,
      spender: stack.deployment.contracts.vault,
      nonce: "0",
    });
    expect((await retailer.api.get("/v1/retailers/me/permit?programId=999")).body.error.code).toBe("RC_PROGRAM_NOT_FOUND");
    expect((await retailer.api.get("/v1/retailers/me/permit?programId=abc")).status).toBe(400);
    const point = await admit(stack, "collection_point", "Point Ketapang 2");
    expect((await point.api.get(`/v1/retailers/me/permit?programId=${program.id}`)).status).toBe(403);
  });

  it("GET /v1/collections lists a point's own drop-offs since a time, newest first, and no other point's", async () => {
    const { program, point, collector } = await recyclingScene(stack);
    const since = new Date(Date.now() - 60_000).toISOString();
    for (const [grams, key] of [[1000, "a"], [2000, "b"]] as const) {
      const reply = await point.api.post(
        "/v1/collections",
        { programId: program.id, collector: collector.address, material: "PET", grams },
        { "idempotency-key": `pages-support-${key}-${Date.now()}` },
      );
      expect(reply.status).toBe(202);
    }
    const list = await point.api.get(`/v1/collections?programId=${program.id}&since=${encodeURIComponent(since)}&limit=10`);
    expect(list.status).toBe(200);
    expect(list.body.map((e: { grams: number }) => e.grams)).toEqual([2000, 1000]);
    const later = await point.api.get(`/v1/collections?programId=${program.id}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(later.body).toEqual([]);
    const other = await admit(stack, "collection_point", "Point Lain");
    expect((await other.api.get(`/v1/collections?programId=${program.id}&since=${encodeURIComponent(since)}`)).body).toEqual([]);
    expect((await point.api.get(`/v1/collections?programId=${program.id}&since=yesterday`)).status).toBe(400);
    expect((await point.api.get(`/v1/collections?programId=${program.id}&since=${encodeURIComponent(since)}&limit=501`)).status).toBe(400);
  });
});

describe("the web app at /", () => {
  it("is served with a content security policy that lets pages reach only us and the chain's RPC", async () => {
    const page = await client(stack.app).get("/");
    expect(page.status).toBe(200);
    expect(page.raw.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.raw.headers["content-security-policy"]).toContain("connect-src 'self' https://rpc.example.org;");
    expect(page.raw.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.raw.headers["cache-control"]).toBe("no-cache");
    const asset = /\/assets\/index-[\w-]+\.js/.exec(page.body as string)![0];
    expect((await client(stack.app).get(asset)).raw.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    // The service worker is looked at afresh on each check for a new release, and keeps the page's files.
    const worker = await client(stack.app).get("/sw.js");
    expect(worker.raw.headers["cache-control"]).toBe("no-cache");
    expect(worker.body).toContain(`"url":"${asset.slice(1)}"`);
  });

  it("leaves unknown paths to the API's own 404", async () => {
    const reply = await client(stack.app).get("/nothing-here.js");
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toMatch(/^RC_/);
  });
});
