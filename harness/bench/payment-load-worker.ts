import { parentPort, workerData } from "node:worker_threads";
import { rawRequest } from "../../services/api/client/raw.js";

/** POSTs every pre-built body once as it is (the raw sender), `concurrency` requests in flight, with Node's fetch (undici, keep-alive). */
export interface PaymentLoadSpec {
  /** Body i goes to urls[i mod n]: round robin over the API processes. */
  urls: string[];
  bodies: string[];
  concurrency: number;
}

export interface PaymentLoadResult {
  seconds: number;
  /** Per request, in the order of `bodies`: the status (0 for a network error) and the latency in ms. */
  statuses: number[];
  latenciesMs: number[];
  /** The first few answers that were not 202, for the report. */
  failures: string[];
}

const spec = workerData as PaymentLoadSpec;
const statuses = new Array<number>(spec.bodies.length).fill(0);
const latenciesMs = new Array<number>(spec.bodies.length).fill(0);
const failures: string[] = [];
let next = 0;

async function lane() {
  while (next < spec.bodies.length) {
    const index = next++;
    const started = performance.now();
    try {
      const reply = await rawRequest("", {
        method: "POST",
        url: spec.urls[index % spec.urls.length]!,
        headers: { "content-type": "application/json" },
        body: spec.bodies[index]!,
      });
      statuses[index] = reply.status;
      if (reply.status !== 202 && failures.length < 5) failures.push(`${reply.status} ${reply.body.slice(0, 300)}`);
    } catch (error) {
      if (failures.length < 5) failures.push(String(error));
    }
    latenciesMs[index] = performance.now() - started;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.bodies.length) }, lane));
const result: PaymentLoadResult = { seconds: (performance.now() - started) / 1000, statuses, latenciesMs, failures };
parentPort!.postMessage(result);
