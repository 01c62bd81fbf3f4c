import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Api } from "../../../services/api/app.js";
import { buildApp } from "../../../services/api/app.js";
import { client } from "../../support/client.js";
import { admit, eventually } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * Each API process keeps the members it authenticated in memory (issue 16): a second API process here, on the
 * same database, must refuse a key from the moment an admin on the first deactivates or rotates it, and what an
 * operator changes by hand in psql as well. Without the NOTIFY its memory would admit the key for a minute.
 */
let stack: Stack;
let other: Api;
beforeAll(async () => {
  stack = await startStack();
  other = await buildApp({ config: stack.config, chain: stack.chain, logger: false });
  await other.ready();
});
afterAll(async () => {
  await other?.close();
  await stack?.close();
});

const admin = () => client(stack.app, stack.adminKey);
const meOn = (app: Api, key: string) => client(app, key).get("/v1/members/me").then((reply) => reply.status);
/** Within the time a NOTIFY takes, far under the minute a forgotten notification would leave the key working. */
const AT_ONCE_MS = 2_000;

describe("the members each API process remembers by key", () => {
  it("refuses a deactivated key in another API process at once, and admits it again once reactivated", async () => {
    const point = await admit(stack, "collection_point", "Point Ketapang");
    expect(await meOn(other, point.key)).toBe(200);
    expect((await admin().post(`/v1/members/${point.id}/deactivate`)).status).toBe(200);
    expect(await meOn(stack.app, point.key)).toBe(403);
    await eventually(() => meOn(other, point.key), (status) => status === 403, AT_ONCE_MS);
    expect((await admin().post(`/v1/members/${point.id}/reactivate`)).status).toBe(200);
    await eventually(() => meOn(other, point.key), (status) => status === 200, AT_ONCE_MS);
  });

  it("refuses a rotated key in another API process at once, and takes the new one", async () => {
    const point = await admit(stack, "collection_point", "Point Muara");
    expect(await meOn(other, point.key)).toBe(200);
    const rotated = await admin().post(`/v1/members/${point.id}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(await meOn(stack.app, point.key)).toBe(401);
    await eventually(() => meOn(other, point.key), (status) => status === 401, AT_ONCE_MS);
    expect(await meOn(other, rotated.body.apiKey)).toBe(200);
  });

  it("hears of a change made by hand in the database too", async () => {
    const point = await admit(stack, "collection_point", "Point Tanjung");
    expect(await meOn(other, point.key)).toBe(200);
    await stack.sql`update members set active = false where id = ${point.id}`;
    await eventually(() => meOn(other, point.key), (status) => status === 403, AT_ONCE_MS);
  });
});
