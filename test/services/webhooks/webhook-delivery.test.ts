import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedLookup, outcomeOfError, postWebhook } from "../../../services/queue/webhook-delivery.js";
import { startReceiver } from "../../support/webhook-receiver.js";

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver?.close());

const STRICT = { allowHttp: true, allowLoopback: false };
const LOCAL = { allowHttp: false, allowLoopback: true };
const post = (url: string, policy = LOCAL) => postWebhook(url, { "content-type": "application/json" }, "{}", { timeoutMs: 1_000, policy });

describe("webhook delivery", () => {
  it("delivers to an allowed receiver and reports coarse outcomes, never a network error's text", async () => {
    expect(await post(receiver.url("/ok"))).toEqual({ statusCode: 200, outcome: "delivered" });
    receiver.script("/down", 503, 404, 301);
    expect(await post(receiver.url("/down"))).toEqual({ statusCode: 503, outcome: "http_5xx" });
    expect(await post(receiver.url("/down"))).toEqual({ statusCode: 404, outcome: "http_4xx" });
    expect(await post(receiver.url("/down"))).toEqual({ statusCode: 301, outcome: "redirect" });
    receiver.script("/slow", 0);
    expect(await post(receiver.url("/slow"))).toEqual({ statusCode: null, outcome: "timeout" });

    // A port nobody listens on: "refused", whatever Node's message says.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(await post(`http://127.0.0.1:${port}/`)).toEqual({ statusCode: null, outcome: "refused" });
    expect(outcomeOfError(Object.assign(new Error("x"), { code: "ENOTFOUND" }))).toBe("unresolved");
    expect(outcomeOfError(Object.assign(new Error("x"), { code: "CERT_HAS_EXPIRED" }))).toBe("tls");
  });

  it("refuses loopback without the loopback setting, by address and by name, before connecting", async () => {
    const port = new URL(receiver.url("/")).port;
    for (const url of [`http://127.0.0.1:${port}/in`, `http://localhost:${port}/in`, `http://[::ffff:127.0.0.1]:${port}/in`, `http://0x7f000001:${port}/in`]) {
      expect(await post(url, STRICT), url).toEqual({ statusCode: null, outcome: "blocked_address" });
    }
    expect(receiver.at("/in")).toEqual([]);
    // Plain http without the http setting, to a receiver that is not loopback: refused too.
    expect(await post("http://93.184.215.14/", { allowHttp: false, allowLoopback: false })).toEqual({ statusCode: null, outcome: "blocked_address" });
  });

  it("refuses a name any of whose addresses is not public, at lookup", async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(STRICT)("localhost", {}, (e) => resolve(e)));
    expect(error?.code).toBe("RC_BLOCKED_ADDRESS");
    const allowed = await new Promise<unknown>((resolve) => guardedLookup(LOCAL)("localhost", { all: true }, (e, a) => resolve(e ?? a)));
    expect(allowed).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });
});
