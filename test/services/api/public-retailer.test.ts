import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** GET /v1/retailers/:address: a shop's display name for the payer's "Pay 2 OCD1 to Warung Bu Tini?", nothing more. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const anonymous = () => client(stack.app);

describe("a shop's name by its address", () => {
  it("answers an active shop's name to anyone, its address checksummed, whatever case was asked", async () => {
    const wallet = Wallet.createRandom();
    await admit(stack, "retailer", "Warung Bu Tini", wallet.address);
    const reply = await anonymous().get(`/v1/retailers/${wallet.address.toLowerCase()}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ address: wallet.address, name: "Warung Bu Tini" });
  });

  it("does not name a member that is not a shop, nor a deactivated shop", async () => {
    const pointWallet = Wallet.createRandom();
    await admit(stack, "collection_point", "Point Ketapang", pointWallet.address);
    const notAShop = await anonymous().get(`/v1/retailers/${pointWallet.address}`);
    expect(notAShop.status).toBe(404);
    expect(notAShop.body.error.code).toBe("RC_RETAILER_NOT_FOUND");

    const closedWallet = Wallet.createRandom();
    const closed = await admit(stack, "retailer", "Toko Tutup", closedWallet.address);
    expect((await client(stack.app, stack.adminKey).post(`/v1/members/${closed.id}/deactivate`)).status).toBe(200);
    expect((await anonymous().get(`/v1/retailers/${closedWallet.address}`)).status).toBe(404);
  });

  it("refuses what is not an address with a 400, naming nothing", async () => {
    const reply = await anonymous().get("/v1/retailers/0x1234");
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toMatch(/^RC_/);
  });
});
