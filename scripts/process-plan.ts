/**
 * Which processes `npm start -- --api N --workers M` runs, on which ports and with which signer key. Pure:
 * start.ts does the spawning, this only decides, so the decision is unit-tested without starting anything.
 *
 * One sending process per key, always: two processes sending with one key would race for the same nonces.
 * The operator process (workers/operator.ts) is the only one that sends with the operator key: it mints and
 * carries out the transaction outbox that every API process writes (programs, grants, lots, reversals,
 * deposits), so any API process may take any request. API processes send no transactions (they sign
 * collectors' credit statements with the operator key, off chain).
 */
import { computeAddress } from "ethers";
import { DEV_OPERATOR_KEY, DEV_WORKER_KEYS } from "../services/chain/network.js";

/** Hardhat's published dev accounts #4 to #19, funded on the dev chain only: the further processes' keys there. */
export const DEV_SPARE_KEYS = [
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
  "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
  "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
  "0xa267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1",
  "0x47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd",
  "0xc526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa",
  "0x8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61",
  "0xea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0",
  "0x689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd",
  "0xde9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0",
  "0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e",
] as const;

export const MAX_PROCESSES = 8;

export interface Scale {
  api: number;
  workers: number;
}

export interface PlannedProcess {
  /** `api-2`, `payments-1`, `indexer`: the label its output lines carry. */
  name: string;
  /** The entry: `api` (process 1 runs inside `npm start`, the others as services/api/main.ts) or workers/<kind>.ts. */
  kind: "api" | "operator" | "payments" | "redemptions" | "indexer" | "webhooks";
  port?: number;
  /** Undefined for processes that never send a transaction (indexer, webhooks). */
  key?: string;
  address?: string;
  /** The variables this process gets on top of `npm start`'s environment. */
  env: Record<string, string>;
}

export interface PlanInput extends Scale {
  port: number;
  devChain: boolean;
  operatorKey: string | undefined;
  /** Keys of the payment and redemption workers. */
  paymentKeys: string[];
  redemptionKeys: string[];
  /** METRICS_PORT: the workers serving metrics get it, the next and so on (0: each any free port). */
  metricsPort?: number | undefined;
}

/** `--api N` and `--workers M` from `argv` (1 each by default), or a message saying what is wrong. */
export function parseScale(argv: string[]): Scale | string {
  const read = (flag: string): number | string => {
    const at = argv.indexOf(flag);
    if (at === -1) return 1;
    const raw = argv[at + 1] ?? "";
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > MAX_PROCESSES) return `${flag} takes a count from 1 to ${MAX_PROCESSES} (got "${raw}")`;
    return value;
  };
  const api = read("--api");
  const workers = read("--workers");
  if (typeof api === "string") return api;
  if (typeof workers === "string") return workers;
  return { api, workers };
}

/** Every process to run, or the problems that stop the plan (too few keys, a key used twice). */
export function planProcesses(input: PlanInput): PlannedProcess[] | string[] {
  const problems: string[] = [];
  const spare: string[] = [...DEV_SPARE_KEYS];
  // Configured keys first; on the dev chain the published keys fill the rest, elsewhere a missing one is a problem.
  const keysFor = (what: string, configured: (string | undefined)[], count: number, devFirst?: string) => {
    const keys = configured.filter((key): key is string => key !== undefined).slice(0, count);
    if (keys.length === 0 && devFirst !== undefined && input.devChain) keys.push(devFirst);
    while (keys.length < count && input.devChain && spare.length > 0) keys.push(spare.shift()!);
    if (keys.length < count) {
      problems.push(
        input.devChain
          ? `the dev chain has ${DEV_SPARE_KEYS.length} spare keys, too few for this many processes`
          : `${what} needs ${count} keys for ${count} processes (got ${keys.length})`,
      );
    }
    return keys;
  };
  const operator = input.operatorKey ?? (input.devChain ? DEV_OPERATOR_KEY : undefined);
  if (operator === undefined) problems.push("OPERATOR_PRIVATE_KEY is required outside the dev chain");
  if (input.api > 1 && (input.port === 0 || input.port + input.api - 1 > 65_535)) {
    problems.push(`--api ${input.api} needs PORT to ${input.api} ports in a row (PORT=0 picks one port at random)`);
  }
  const paymentKeys = keysFor("PAYMENT_WORKER_PRIVATE_KEYS", input.paymentKeys, input.workers, DEV_WORKER_KEYS[0]);
  const redemptionKeys = keysFor("REDEMPTION_WORKER_PRIVATE_KEYS", input.redemptionKeys, input.workers, DEV_WORKER_KEYS[1]);

  const signer = (key: string) => ({ key, address: computeAddress(key) });
  const plan: PlannedProcess[] = [];
  for (let i = 0; i < input.api; i++) {
    plan.push({ name: `api-${i + 1}`, kind: "api", port: input.port + i, env: i === 0 ? {} : { PORT: String(input.port + i) } });
  }
  if (operator !== undefined) plan.push({ name: "operator", kind: "operator", ...signer(operator), env: {} });
  paymentKeys.forEach((key, i) => plan.push({ name: `payments-${i + 1}`, kind: "payments", ...signer(key), env: { PAYMENT_WORKER_PRIVATE_KEY: key } }));
  redemptionKeys.forEach((key, i) =>
    plan.push({ name: `redemptions-${i + 1}`, kind: "redemptions", ...signer(key), env: { REDEMPTION_WORKER_PRIVATE_KEY: key } }),
  );
  plan.push({ name: "indexer", kind: "indexer", env: {} }, { name: "webhooks", kind: "webhooks", env: {} });
  // One METRICS_PORT for every worker on a machine would let only the first bind it.
  if (input.metricsPort !== undefined) {
    const base = input.metricsPort;
    plan
      .filter((p) => p.kind === "payments" || p.kind === "redemptions" || p.kind === "webhooks")
      .forEach((p, i) => (p.env.METRICS_PORT = String(base === 0 ? 0 : base + i)));
  }

  const seen = new Map<string, string>();
  for (const process of plan) {
    if (process.address === undefined) continue;
    const other = seen.get(process.address);
    if (other) problems.push(`${process.name} and ${other} would sign with one key (${process.address}): one key per process`);
    seen.set(process.address, process.name);
  }
  return problems.length > 0 ? [...new Set(problems)] : plan;
}
