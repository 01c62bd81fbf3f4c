import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { addressAllowed, classifyAddress, classifyHost, type WebhookPolicy } from "../core/webhook-address.js";

/**
 * What one delivery attempt came to, coarsely: the delivery log shows this, never a raw network error, so a
 * subscription cannot be used to learn what answers where (which ports are open, which names resolve).
 */
export type DeliveryOutcome =
  | "delivered"
  | "redirect"
  | "http_4xx"
  | "http_5xx"
  | "http_other"
  | "timeout"
  | "refused"
  | "reset"
  | "unresolved"
  | "unreachable"
  | "tls"
  | "blocked_address"
  | "network";

export interface DeliveryResult {
  statusCode: number | null;
  outcome: DeliveryOutcome;
}

const BLOCKED = "RC_BLOCKED_ADDRESS";
const blocked = (address: string) => Object.assign(new Error(`${address} is not a public address`), { code: BLOCKED });
const allowed = (address: string, policy: WebhookPolicy) => addressAllowed(classifyAddress(address), policy);

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that resolves as usual and refuses a name if any of its addresses is not public. */
export function guardedLookup(policy: WebhookPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => !allowed(a.address, policy));
      if (refused) return callback(blocked(refused.address), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs `body` to `url` without following redirects, and checks the address twice: the name's addresses
 * before connecting (guardedLookup) and the address the socket actually connected to (an IP literal never
 * goes through lookup; a resolver answering differently the second time is caught here too).
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; policy: WebhookPolicy },
): Promise<DeliveryResult> {
  const { policy } = options;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ statusCode: null, outcome: "blocked_address" });
  }
  const hostKind = classifyHost(target.hostname);
  const loopbackHttp = hostKind === "loopback" && policy.allowLoopback;
  if ((hostKind !== undefined && !addressAllowed(hostKind, policy)) || (target.protocol === "http:" && !policy.allowHttp && !loopbackHttp)) {
    return Promise.resolve({ statusCode: null, outcome: "blocked_address" });
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.resolve({ statusCode: null, outcome: "blocked_address" });

  return new Promise<DeliveryResult>((resolve) => {
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(target, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: guardedLookup(policy) as never,
      // A fresh connection per attempt: the address check is the connection's.
      agent: false,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const check = (socket: Socket) => {
      const address = socket.remoteAddress;
      if (address !== undefined && !allowed(address, policy)) request.destroy(blocked(address));
    };
    request.on("socket", (socket: Socket) => {
      if (socket.remoteAddress !== undefined) check(socket);
      else socket.once("connect", () => check(socket));
    });
    request.on("response", (response: IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      // The answer's body is not ours to read: discarded as it comes.
      response.resume();
      response.on("error", () => {});
      resolve({ statusCode, outcome: outcomeOfStatus(statusCode) });
    });
    request.on("error", (error) => resolve({ statusCode: null, outcome: outcomeOfError(error) }));
    request.end(body);
  });
}

function outcomeOfStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 300 && status < 400) return "redirect";
  if (status >= 400 && status < 500) return "http_4xx";
  if (status >= 500 && status < 600) return "http_5xx";
  return "http_other";
}

/** The coarse outcome of a network error (Node's codes, never its message). */
export function outcomeOfError(error: unknown): DeliveryOutcome {
  const { name, code } = error as { name?: string; code?: string };
  if (name === "TimeoutError" || name === "AbortError" || code === "ABORT_ERR" || code === "ETIMEDOUT") return "timeout";
  if (code === BLOCKED) return "blocked_address";
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED") return "reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NODATA" || code === "EAI_FAIL") return "unresolved";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EHOSTDOWN" || code === "ENETDOWN") return "unreachable";
  if (code !== undefined && /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code)) return "tls";
  return "network";
}
