import { randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import autocannon, { type AutocannonRequest } from "autocannon";
import type { LoadFigures, LoadSpec } from "./load.js";

const spec = workerData as LoadSpec;
const { pointKeys, collectors, programId } = spec.scene;
let sequence = 0;

/** Every request a new drop-off: its own key, a point and collector in turn, a weight, a ticket hash. */
function nextDropOff(request: AutocannonRequest): AutocannonRequest {
  const n = sequence++;
  request.headers = {
    ...request.headers,
    authorization: `Bearer ${pointKeys[n % pointKeys.length]}`,
    "idempotency-key": `${spec.keyPrefix}-${n}`,
  };
  request.body = JSON.stringify({
    programId,
    collector: collectors[Math.floor(Math.random() * collectors.length)],
    material: n % 3 === 0 ? "HDPE" : "PET",
    grams: 100 + Math.floor(Math.random() * 4_900),
    evidenceHash: `0x${randomBytes(32).toString("hex")}`,
  });
  return request;
}

const optionsFor = (url: string, connections: number) => ({
  url,
  connections,
  duration: spec.durationS,
  timeout: 10,
  requests: [
    { method: "POST", path: spec.path, headers: { "content-type": "application/json" }, setupRequest: nextDropOff },
  ],
});
// One autocannon per server, side by side on this thread, sharing one sequence of drop-offs.
const split = spec.urls.map((url, i) =>
  optionsFor(url, Math.floor(spec.connections / spec.urls.length) + (i < spec.connections % spec.urls.length ? 1 : 0)),
);
const raw = await Promise.all(split.map((options) => autocannon(options)));
// Read before aggregating: aggregateResult adds the others into the first.
const okPerUrl = raw.map((r) => (r as { "2xx": number })["2xx"]);
// Off the main thread autocannon hands back its raw histograms, expecting a parent to aggregate them.
const result = autocannon.aggregateResult(raw, { ...split[0]!, connections: spec.connections });

const figures: LoadFigures = {
  requestsPerS: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  completed: result.requests.total,
  ok: result["2xx"],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  okPerUrl,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
};
parentPort!.postMessage(figures);
