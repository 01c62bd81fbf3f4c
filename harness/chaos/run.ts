import { Wallet } from "ethers";
import { createProvider, DEV_OPERATOR_KEY, DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { freePort } from "../lib/isolated-run.js";
import { prng } from "../lib/random.js";
import { DEV_SPARE_KEYS } from "../../scripts/process-plan.js";
import { type Audit, audit } from "./audit.js";
import { writeDiagnosis } from "./diagnose.js";
import { drain, type Open } from "./drain.js";
import { deletePrefixKeys, startEnvironment } from "./environment.js";
import { type ChainFaultCounts, runChainFaults } from "./chain-faults.js";
import { type ChainUnderTest, startChainUnderTest } from "./chain-under-test.js";
import { type FaultCounts, runFaults } from "./faults.js";
import { runLoad } from "./load.js";
import { ChaosProcess } from "./process.js";
import { createScene } from "./scene.js";

export interface ChaosOptions {
  /** Seconds of load (and of faults, which stop 2 s before it). */
  durationS: number;
  seed: number;
  /** A node to deploy on (the integration tests' own); unset, the run starts a Hardhat node of its own. */
  chainUrl?: string;
  /**
   * "anvil": the run starts an Anvil node that behaves like a network (a block every 2 s, chain 412346), the
   * services reach it through two RPC proxies (the first one faulty), and the chain's own faults are injected
   * too: reorganisations, a dropped mint, a base-fee spike, an RPC outage, a node restart.
   */
  chain?: "hardhat" | "anvil";
  /** With the chain faults: how long the base fee stays 50× up. */
  spikeMs?: number;
  paymentWorkers?: number;
  /** API processes: 2 by default, or 1 (the operator process mints for them all). */
  apis?: 1 | 2;
  collectionLanes?: number;
  paymentLanes?: number;
  pauseMs?: number;
  /** Kills to do at least, even if the load has to run longer than `durationS` for them (0 by default). */
  minKills?: number;
  /** Seconds between faults, drawn from the seed between the two. */
  gapS?: [number, number];
  /** The whole run (setup to audit) stays under this many seconds: the drain gets what is left. */
  budgetS?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  durationS: number;
  audit: Audit;
  faults: FaultCounts;
  /** The chain's faults, when the run had them (chain: "anvil"). */
  chainFaults?: ChainFaultCounts;
  retried: number;
  /** Accepted payments valid for seconds only: settled in time or failed as expired. */
  shortLived: number;
  /** Requests refused or never answered (none are expected). */
  refused: string[];
  /** Processes that exited without being killed. */
  unexpectedExits: string[];
  drain: { drained: boolean; open: Open; ms: number };
  elapsedMs: number;
  /** No loss, no duplicate, nothing refused, everything drained. */
  ok: boolean;
}

/**
 * One chaos run: its own chain deployment, database and Redis prefix, two API processes, the operator's
 * sender and payment workers as child processes, a load of drop-offs and payments, kill -9s with
 * restarts and one Redis flush while it runs, a bounded drain, and an audit against the chain. Everything
 * it made is removed at the end, on failure too (logs are kept then, and their folder printed).
 */
/** An API is ready once its /health answers at all (it logs warnings only here, so no start line). */
const health = (port: number) => () =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    () => true,
    () => false,
  );

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const random = prng(options.seed);
  const network: ChainUnderTest | undefined = options.chain === "anvil" ? await startChainUnderTest(options.seed, log) : undefined;
  const env = await startEnvironment(log, network ? { chainUrl: network.node.current.url } : options.chainUrl !== undefined ? { chainUrl: options.chainUrl } : {});
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Every process is given the operator key, as config requires with CHAIN_RPC_URL; only the operator sends with it.
  const common: Record<string, string> = { ...env.env, LOG_LEVEL: "warn", OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY };
  if (network) {
    // The services reach the node only through the proxies, as they would reach two RPC providers.
    delete common.CHAIN_RPC_URL;
    common.CHAIN_RPC_URLS = network.proxies.map((proxy) => proxy.url).join(",");
  }
  const api = new ChaosProcess("api-1", "services/api/main.ts", { ...common, PORT: String(port) }, health(port), env.stateDir);
  const port2 = await freePort();
  const api2 = new ChaosProcess("api-2", "services/api/main.ts", { ...common, PORT: String(port2) }, health(port2), env.stateDir);
  // The operator's one sender mints what every API accepted; killed like any worker, its restart recovers.
  const operator = new ChaosProcess("operator", "workers/operator.ts", {
    ...common,
    // A Hardhat node's clock gains a second per block at least: fewer, fuller batches keep the drift down
    // (on the integration tests' shared node too, where other files sign payments valid for an hour).
    BATCH_MS: "250",
    LOG_LEVEL: "info",
  }, /operator sender started/, env.stateDir);
  const apis = options.apis === 1 ? [api] : [api, api2];
  const bases = apis.map((_, i) => `http://127.0.0.1:${i === 0 ? port : port2}`);
  const workerKeys = [...DEV_WORKER_KEYS, ...DEV_SPARE_KEYS];
  const workers = Array.from({ length: options.paymentWorkers ?? 2 }, (_, i) =>
    new ChaosProcess(`payments-${i + 1}`, "workers/payments.ts", {
      ...common,
      PAYMENT_WORKER_PRIVATE_KEY: workerKeys[i]!,
      PAYMENT_BATCH_MAX: "50",
      PAYMENT_BATCH_MS: "250",
      // A killed worker's jobs go back to the queue once their lock lapses.
      JOB_LOCK_MS: "2000",
      // A worker logs little at info, and its start line is the sign that it is ready.
      LOG_LEVEL: "info",
    }, / payment worker 0x/, env.stateDir),
  );
  const processes = [...apis, operator, ...workers];
  let ok = false;
  try {
    await Promise.all(processes.map((p) => p.start()));
    log(`processes: ${apis.map((a, i) => `${a.label} on ${bases[i]}`).join(", ")} ${[operator, ...workers].map((w) => w.label).join(", ")}`);
    const scene = await createScene(base, env.adminKey, options.seed, env.runId);
    log(`scene:    program ${scene.programId}, ${scene.collectors.length} collectors, ${scene.payers.length} funded payers, ${scene.retailers.length} retailers`);

    const loadStart = Date.now();
    const until = loadStart + options.durationS * 1000;
    log(`load:     ${options.durationS} s of drop-offs and payments, with faults`);
    let aborted = false;
    let faultsDone = false;
    let chainDone = !network;
    // The load runs as long as the faults do: every kill happens under load.
    const running = () => Date.now() < until || !faultsDone || !chainDone;
    const abortOnFailure = <T>(work: Promise<T>) => work.catch((error: unknown) => ((aborted = true), Promise.reject(error)));
    // The chain's faults run beside the process kills, and the load runs as long as either does.
    const chainFaults = network
      ? abortOnFailure(
          runChainFaults({
            node: network.node,
            proxies: network.proxies,
            operator: new Wallet(DEV_OPERATOR_KEY).address,
            confirmations: 1,
            random: prng(options.seed + 2),
            startedAt: loadStart,
            until: until - 4_000,
            spikeMs: options.spikeMs ?? 60_000,
            log,
          }),
        ).finally(() => {
          chainDone = true;
          network.calm();
        })
      : undefined;
    // Awaited after the load; until then a failure must not count as unhandled.
    chainFaults?.catch(() => {});
    const [load, faults] = await Promise.all([
      runLoad({
        // Each attempt goes to any API process: a retry often lands on another one than the first attempt.
        base: () => random.pick(bases),
        scene,
        chainId: env.deployment.chainId,
        random,
        runId: env.runId,
        running,
        giveUpAt: () => Math.max(until, Date.now()) + 60_000,
        collectionLanes: options.collectionLanes ?? 3,
        paymentLanes: options.paymentLanes ?? 2,
        pauseMs: options.pauseMs ?? 5,
        aborted: () => aborted,
      }),
      abortOnFailure(runFaults({
        minKills: options.minKills ?? 0,
        apis,
        workers: [operator, ...workers],
        random: prng(options.seed + 1),
        startedAt: loadStart,
        until: until - 2_000,
        flushAt: loadStart + options.durationS * 500,
        apiEvery: 3,
        gapMs: (options.gapS ?? [3, 6]).map((s) => s * 1000) as [number, number],
        flush: () => deletePrefixKeys(env.redisUrl, env.redisPrefix, 20),
        log,
      })).finally(() => (faultsDone = true)),
    ]);
    const chainCounts = await chainFaults;
    log(`load:     ${load.events.length} drop-offs and ${load.payments.length} payments accepted, ${load.retried} retried; draining`);

    const budgetEnd = started + (options.budgetS ?? 175) * 1000;
    // On a network-like chain a transaction the node lost (a restart empties its pool) is sent again only after
    // TX_REPLACE_AFTER_MS (30 s), then waits for its block and its confirmation: the drain gets two minutes there.
    const drainCapMs = network ? 120_000 : 60_000;
    const drained = await drain(env.sql, Math.max(Date.now() + 20_000, Math.min(Date.now() + drainCapMs, budgetEnd)));
    log(`drain:    ${drained.drained ? "done" : "NOT done"} in ${(drained.ms / 1000).toFixed(1)} s`);
    const stored = new Set(
      (await env.sql<{ key: string }[]>`select lower(payer) || ':' || lower(nonce) as key from payments`).map((r) => r.key),
    );
    const payments = [...load.payments, ...load.maybePayments.filter((p) => stored.has(`${p.payer.toLowerCase()}:${p.nonce.toLowerCase()}`))];
    const provider = createProvider(env.chainUrl);
    let result: Audit;
    try {
      const head = await provider.getBlock("latest");
      log(`chain:    block ${head!.number}, its clock ${Math.round(head!.timestamp - Date.now() / 1000)} s ahead of ours${network ? "" : " (a Hardhat node gives each block a second at least)"}`);
      result = await audit(provider, env.sql, {
        token: scene.token,
        fromBlock: env.deployment.startBlock,
        events: [...scene.funding, ...load.events],
        payments,
        retailers: scene.retailers,
      });
    } finally {
      provider.destroy();
    }
    if (!drained.drained) log(`open at the end: ${await writeDiagnosis(env.sql, env.redisUrl, env.redisPrefix, env.stateDir)}`);
    await Promise.all(processes.map((p) => p.stop()));
    const unexpectedExits = processes.flatMap((p) => p.unexpectedExits);
    ok = result.events.lost === 0 && result.events.duplicates === 0 && result.payments.lost === 0 &&
      result.payments.duplicates === 0 && result.problems.length === 0 && load.refused.length === 0 &&
      drained.drained && unexpectedExits.length === 0;
    return {
      seed: options.seed,
      durationS: options.durationS,
      audit: result,
      faults,
      ...(chainCounts ? { chainFaults: chainCounts } : {}),
      retried: load.retried,
      shortLived: load.shortLived,
      refused: load.refused,
      unexpectedExits,
      drain: drained,
      elapsedMs: Date.now() - started,
      ok,
    };
  } finally {
    for (const p of processes) p.close();
    await env.close({ keepLogs: !ok });
    await network?.close({ keepLogs: !ok });
  }
}
