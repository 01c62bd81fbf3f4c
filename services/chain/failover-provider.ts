import { JsonRpcProvider, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult, keccak256 } from "ethers";

export interface FailoverOptions {
  /** How long one attempt at one endpoint may take before it counts as failed. */
  timeoutMs?: number;
  /** Attempts per request, across the endpoints, before its last failure is thrown. */
  attempts?: number;
  /** The first pause before trying an endpoint again, doubled each time up to `maxBackoffMs` (with jitter). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long after a failover the preferred (first) endpoint is tried again. */
  returnAfterMs?: number;
  /** The chain every endpoint must serve; unset, the first endpoint to answer sets it. */
  chainId?: number;
  log?: { warn(object: object, message: string): void; error(object: object, message: string): void };
  /** [0, 1): the backoff's jitter. */
  random?: () => number;
}

/** What one endpoint has done, for metrics: labelled by `endpoint` (its origin, never its path, which may hold a key). */
export interface EndpointStats {
  endpoint: string;
  requests: number;
  failures: number;
  /** Times this endpoint was left for the next one. */
  failovers: number;
}

/** An attempt that says nothing about the request, only about the endpoint: worth another try elsewhere. */
class EndpointFailure extends Error {}
/** An endpoint that serves another chain: never used. */
class WrongChain extends EndpointFailure {}

const DEFAULTS = { timeoutMs: 10_000, attempts: 12, backoffMs: 100, maxBackoffMs: 2_000, returnAfterMs: 30_000 };

/**
 * A node's answer to a resent transaction it already has: geth "already known", Besu "Known transaction",
 * Anvil "transaction already imported", or, once it has mined, "nonce too low" (Hardhat: "Nonce too low").
 */
const ALREADY_SENT = /already known|known transaction|already imported|alreadyknown|nonce too low/i;

/** An endpoint's name in logs and metrics: scheme, host and port; a provider's path often carries an API key. */
export const endpointName = (url: string) => new URL(url).origin;

/**
 * A JSON-RPC provider over an ordered list of endpoints (the first preferred). Each request goes to the
 * current endpoint with a timeout; a timeout, a 429, a 5xx, a closed connection or an answer that is not
 * JSON-RPC moves to the next endpoint and tries again, pausing (capped exponential backoff with jitter) once
 * every endpoint has been tried. After `returnAfterMs` the preferred endpoint is tried again. A JSON-RPC error
 * is the node's answer (a revert, a bad nonce, bad params) and is passed on, never retried.
 *
 * Resending a transaction is safe: its signed bytes fix its nonce and hash. When a resend is answered "already
 * known" or "nonce too low", the endpoint is asked for the hash; a node that has it means the first send
 * arrived and only its answer was lost, so the hash is the answer.
 */
export class FailoverProvider extends JsonRpcProvider {
  readonly urls: readonly string[];
  readonly #settings: typeof DEFAULTS;
  readonly #counts: EndpointStats[];
  /** Endpoints whose chain id matched (true) or did not (false); unset, not asked yet. */
  readonly #verified: (boolean | undefined)[];
  #current = 0;
  #failedOverAt = 0;
  #chainId: number | undefined;
  readonly #closing = new AbortController();

  readonly #options: FailoverOptions;

  constructor(urls: readonly string[], options: FailoverOptions = {}) {
    if (urls.length === 0) throw new Error("a failover provider needs at least one RPC URL");
    // ethers' JsonRpcProvider never spoke WebSocket either ("unsupported protocol ws"): say so at start.
    const socket = urls.find((url) => /^wss?:/i.test(url));
    if (socket) throw new Error(`${endpointName(socket)}: WebSocket RPC endpoints are not supported; give the node's http(s) URL`);
    // Never a stale answer (ethers caches identical calls 250 ms by default) nor a 10 ms wait to fill a batch.
    super(urls[0], undefined, { cacheTimeout: -1, batchMaxCount: 50, batchStallTime: 0 });
    this.urls = [...urls];
    this.#options = options;
    this.#settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      attempts: options.attempts ?? DEFAULTS.attempts,
      backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      returnAfterMs: options.returnAfterMs ?? DEFAULTS.returnAfterMs,
    };
    this.#chainId = options.chainId;
    this.#counts = urls.map((url) => ({ endpoint: endpointName(url), requests: 0, failures: 0, failovers: 0 }));
    this.#verified = urls.map(() => undefined);
  }

  stats(): EndpointStats[] {
    return this.#counts.map((count) => ({ ...count }));
  }

  /**
   * Asks every endpoint for its chain id now: one serving another chain is an error; one that does not answer
   * is checked when it is first used. Returns the chain id, when any endpoint answered.
   */
  async verifyEndpoints(): Promise<number | undefined> {
    for (let index = 0; index < this.urls.length; index++) {
      try {
        await this.#verify(index);
      } catch (error) {
        if (error instanceof WrongChain || !(error instanceof EndpointFailure)) throw error;
        this.#options.log?.warn({ endpoint: this.#counts[index]!.endpoint, err: error }, "an RPC endpoint did not answer at start; it is checked when first used");
      }
    }
    return this.#chainId;
  }

  override destroy(): void {
    this.#closing.abort();
    super.destroy();
  }

  // ethers types _send's answers as results only, but reads each one's `error` (its own _send returns them too).
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const answers = await this.#exchange(payload);
    const calls = Array.isArray(payload) ? payload : [payload];
    return Promise.all(answers.map((answer) => this.#resolveResend(calls.find((call) => call.id === answer.id), answer))) as Promise<JsonRpcResult[]>;
  }

  /** A resent transaction answered "already known" or "nonce too low" is the hash, when the node has it. */
  async #resolveResend(call: JsonRpcPayload | undefined, answer: JsonRpcResult | JsonRpcError) {
    if (call?.method !== "eth_sendRawTransaction" || !("error" in answer) || !ALREADY_SENT.test(answer.error.message ?? "")) return answer;
    const hash = keccak256((call.params as string[])[0]!);
    const [known] = await this.#exchange({ jsonrpc: "2.0", id: call.id, method: "eth_getTransactionByHash", params: [hash] });
    return known && "result" in known && known.result !== null ? { id: answer.id, result: hash } : answer;
  }

  /** Sends `payload` with failover and retries; the node's answers, one per call. */
  async #exchange(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<(JsonRpcResult | JsonRpcError)[]> {
    const tried = new Set<number>();
    let pauses = 0;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < this.#settings.attempts; attempt++) {
      if (this.#closing.signal.aborted) break;
      const index = this.#endpoint();
      if (tried.has(index)) await this.#pause(pauses++);
      tried.add(index);
      try {
        await this.#verify(index);
        return await this.#post(index, payload);
      } catch (error) {
        if (!(error instanceof EndpointFailure)) throw error;
        lastError = error;
        this.#counts[index]!.failures++;
        this.#failOver(index, error);
      }
    }
    throw new Error(`no RPC endpoint answered after ${this.#settings.attempts} attempts: ${lastError?.message ?? "provider closed"}`, { cause: lastError });
  }

  /** The endpoint to use now: back to the preferred one a while after leaving it. */
  #endpoint(): number {
    if (this.#current !== 0 && Date.now() - this.#failedOverAt >= this.#settings.returnAfterMs && this.#verified[0] !== false) this.#current = 0;
    return this.#current;
  }

  #failOver(index: number, error: Error): void {
    // Concurrent requests failing at one endpoint move on once, not once each.
    if (index !== this.#current || this.urls.length === 1) return;
    let next = (index + 1) % this.urls.length;
    while (this.#verified[next] === false && next !== index) next = (next + 1) % this.urls.length;
    if (next === index) return;
    this.#current = next;
    this.#failedOverAt = Date.now();
    this.#counts[index]!.failovers++;
    this.#options.log?.warn(
      { from: this.#counts[index]!.endpoint, to: this.#counts[next]!.endpoint, reason: error.message },
      "RPC endpoint failed; failing over to the next",
    );
  }

  async #pause(round: number): Promise<void> {
    const ceiling = Math.min(this.#settings.maxBackoffMs, this.#settings.backoffMs * 2 ** round);
    // Half fixed, half random: clients that failed together do not all come back together.
    const ms = ceiling / 2 + (this.#options.random ?? Math.random)() * (ceiling / 2);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#closing.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  /** Checks, once per endpoint, that it serves the chain the others do. */
  async #verify(index: number): Promise<void> {
    if (this.#verified[index] === true) return;
    const [answer] = await this.#post(index, { jsonrpc: "2.0", id: 0, method: "eth_chainId", params: [] });
    if (!answer || !("result" in answer)) throw new EndpointFailure(`${this.#counts[index]!.endpoint} did not answer eth_chainId`);
    const chainId = Number(answer.result);
    this.#chainId ??= chainId;
    if (chainId !== this.#chainId) {
      this.#verified[index] = false;
      const message = `the RPC endpoint ${this.#counts[index]!.endpoint} serves chain ${chainId}, not chain ${this.#chainId} like the others`;
      this.#options.log?.error({ endpoint: this.#counts[index]!.endpoint }, message);
      throw new WrongChain(message);
    }
    this.#verified[index] = true;
  }

  /** One attempt at one endpoint: its JSON-RPC answers, or an EndpointFailure. */
  async #post(index: number, payload: JsonRpcPayload | JsonRpcPayload[]): Promise<(JsonRpcResult | JsonRpcError)[]> {
    if (this.#verified[index] === false) throw new EndpointFailure(`${this.#counts[index]!.endpoint} serves another chain`);
    this.#counts[index]!.requests++;
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.urls[index]!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#settings.timeoutMs)]),
      });
      body = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new EndpointFailure(timedOut ? `timed out after ${this.#settings.timeoutMs} ms` : `connection failed (${describe(error)})`);
    }
    if (response.status === 429 || response.status >= 500) throw new EndpointFailure(`HTTP ${response.status}`);
    let answers: unknown;
    try {
      answers = JSON.parse(body);
    } catch {
      throw new EndpointFailure(`HTTP ${response.status} with a body that is not JSON`);
    }
    const list = Array.isArray(answers) ? answers : [answers];
    if (!list.every(isJsonRpcAnswer)) throw new EndpointFailure(`HTTP ${response.status} with a body that is not JSON-RPC`);
    return list;
  }
}

function isJsonRpcAnswer(value: unknown): value is JsonRpcResult | JsonRpcError {
  return typeof value === "object" && value !== null && "id" in value && ("result" in value || "error" in value);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
