/**
 * The figures the bench reports as a share of what this machine does without recircle in the way, each against
 * its target (issue 16): accept next to a bare Fastify, credits next to the chain alone, and the API's memory.
 */
import type { CreditFigures } from "./credit-rate.js";
import type { EdrLimitFigures } from "./edr-limit.js";
import { ACCEPT_LOAD, type AcceptFigures } from "./http-accept.js";
import type { LoadFigures } from "./load.js";
import { fmt, type Row, row } from "./report.js";

export const SHARE_TARGETS = {
  acceptOfFastifyPercent: 15,
  creditedOfEdrPercent: 50,
  apiRssMb: 300,
} as const;

const percent = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);

/** One line per connection count: the rate with its latencies, as one value. */
function atConnections(connections: number, figures: LoadFigures): Row {
  const value = `${fmt(figures.requestsPerS)}/s (p50 ${fmt(figures.p50Ms, 1)} / p99 ${fmt(figures.p99Ms, 1)} ms)`;
  return { figure: `accept at ${connections} connections: req/s (p50 / p99)`, value, target: "", met: "" };
}

export function shareRows(accept: AcceptFigures, credit: CreditFigures, edr: EdrLimitFigures): Row[] {
  const byConnections = [{ connections: ACCEPT_LOAD.connections, figures: accept.api }, ...accept.others].sort(
    (a, b) => a.connections - b.connections,
  );
  return [
    ...byConnections.map(({ connections, figures }) => atConnections(connections, figures)),
    row(`accept ÷ bare Fastify at ${ACCEPT_LOAD.connections} connections, %`, percent(accept.api.requestsPerS, accept.hello.requestsPerS), 1, {
      atLeast: SHARE_TARGETS.acceptOfFastifyPercent,
      unit: " %",
    }),
    row("API process RSS after the accept phase, MB (in-process: the bench process, load generator included)", accept.apiMemory.rss / 2 ** 20, 0, {
      atMost: SHARE_TARGETS.apiRssMb,
      unit: " MB",
    }),
    row("API process: main thread's JavaScript heap in use after accept, MB", accept.apiMemory.heapUsed / 2 ** 20, 0),
    row(`in-process EDR limit: mintBatch of ${edr.batchSize} to holders, events/s`, edr.eventsPerS, 0),
    row("in-process EDR limit: gas per event", edr.gasPerEvent, 0),
    row("credited ÷ in-process limit, %", percent(credit.eventsPerS, edr.eventsPerS), 1, {
      atLeast: SHARE_TARGETS.creditedOfEdrPercent,
      unit: " %",
    }),
  ];
}
