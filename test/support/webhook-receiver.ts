import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as received: signatures are over these bytes, not over re-serialized JSON. */
  body: string;
  status: number;
}

export const SLOW_MS = 1_500;

/**
 * A webhook receiver on loopback only (127.0.0.1, a free port). Each path answers the statuses it was
 * scripted with (0: too late), in order, then 200; every request is kept for the test to check.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, number[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const status = scripts.get(path)?.shift() ?? 200;
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      // 0 scripts a receiver that answers too late: after SLOW_MS, past the sender's timeout.
      const answer = () => response.writeHead(status || 200, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "not now");
      if (status === 0) setTimeout(answer, SLOW_MS).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Answers `statuses` on `path`, one per request, before falling back to 200. */
    script: (path: string, ...statuses: number[]) => scripts.set(path, statuses),
    at: (path: string) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The sender keeps connections alive; closing waits for them otherwise.
        server.closeAllConnections();
      }),
  };
}

/**
 * A public https URL for subscriptions whose deliveries a test never runs (no webhook worker: it checks the
 * outbox row): it passes the address checks of services/core/webhook-address.ts and is never contacted.
 */
export const undeliveredUrl = (path: string) => `https://93.184.215.14${path}`;
