import { parentPort, workerData } from "node:worker_threads";

/** POSTs every pre-built body once, `concurrency` requests in flight, with Node's fetch (undici, keep-alive). */
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
      const response = await fetch(spec.urls[index % spec.urls.length]!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: spec.bodies[index]!,
      });
      const text = await response.text();
      statuses[index] = response.status;
      if (response.status !== 202 && failures.length < 5) failures.push(`${response.status} ${text.slice(0, 300)}`);
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
