import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordChainWrite } from "../../../services/db/chain-writes.js";
import { CERTIFY_LOT } from "../../../services/flows/confirm-lot.js";
import { client } from "../../support/client.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("the chain-write sender", () => {
  it("sends the writes behind one that cannot be sent, and keeps that one queued to try again", async () => {
    // A write its kind cannot even build a transaction for (no lot "x"): before, the oldest queued write was
    // always taken first, so every program, grant and reversal after it waited behind it.
    const stuck = await recordChainWrite(stack.sql, { kind: CERTIFY_LOT.kind, subject: "broken", payload: { lotId: "x" } });
    const admin = client(stack.app, stack.adminKey);
    const created = await admin.post("/v1/programs", { name: "Behind", symbol: "BHD", kind: "recycling", rates: { PET: "1" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [row] = await stack.sql<{ status: string }[]>`select status from chain_writes where id = ${stuck.id}`;
    expect(row!.status).toBe("queued");
  });
});
