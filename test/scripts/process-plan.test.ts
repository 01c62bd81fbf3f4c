import { computeAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { DEV_SPARE_KEYS, parseScale, planProcesses, type PlanInput, type PlannedProcess } from "../../scripts/process-plan.js";
import { DEV_OPERATOR_KEY, DEV_WORKER_KEYS } from "../../services/chain/network.js";

const dev: PlanInput = { api: 1, workers: 1, port: 3000, devChain: true, operatorKey: undefined, paymentKeys: [], redemptionKeys: [] };
// Hardhat's published dev keys #10 to #15 stand in for a real chain's keys: public test data, not secrets.
const [k1, k2, k3, k4, k5, k6] = DEV_SPARE_KEYS.slice(6) as unknown as string[];

function processes(input: PlanInput): PlannedProcess[] {
  const plan = planProcesses(input);
  if (typeof plan[0] === "string") throw new Error(`unexpected problems: ${plan.join("; ")}`);
  return plan as PlannedProcess[];
}

describe("parseScale", () => {
  it("defaults to one API process and one worker of each kind", () => {
    expect(parseScale(["node", "start.ts"])).toEqual({ api: 1, workers: 1 });
    expect(parseScale(["--reset", "--api", "2", "--workers", "3"])).toEqual({ api: 2, workers: 3 });
  });

  it("refuses counts outside 1 to 8", () => {
    expect(parseScale(["--api", "0"])).toMatch(/--api takes a count from 1 to 8/);
    expect(parseScale(["--workers", "9"])).toMatch(/--workers/);
    expect(parseScale(["--api"])).toMatch(/got ""/);
  });
});

describe("planProcesses", () => {
  it("runs the API, the operator's one sender and one worker of each kind with the dev keys by default", () => {
    const plan = processes(dev);
    expect(plan.map((p) => p.name)).toEqual(["api-1", "operator", "payments-1", "redemptions-1", "indexer", "webhooks"]);
    expect(plan[0]).toMatchObject({ port: 3000, env: {} });
    expect(plan[0]!.key).toBeUndefined();
    expect(plan[1]).toMatchObject({ kind: "operator", key: DEV_OPERATOR_KEY, address: computeAddress(DEV_OPERATOR_KEY) });
    expect(plan[2]!.key).toBe(DEV_WORKER_KEYS[0]);
    expect(plan[3]!.key).toBe(DEV_WORKER_KEYS[1]);
    expect(plan[4]!.key).toBeUndefined();
  });

  it("gives every further API process the next port and no key, and every sending process its own key", () => {
    const plan = processes({ ...dev, api: 2, workers: 2 });
    expect(plan.map((p) => p.name)).toEqual(["api-1", "api-2", "operator", "payments-1", "payments-2", "redemptions-1", "redemptions-2", "indexer", "webhooks"]);
    expect(plan[1]).toMatchObject({ port: 3001, env: { PORT: "3001" } });
    expect(plan[1]!.key).toBeUndefined();
    expect(plan[4]!.env).toEqual({ PAYMENT_WORKER_PRIVATE_KEY: DEV_SPARE_KEYS[0] });
    expect(plan[6]!.env).toEqual({ REDEMPTION_WORKER_PRIVATE_KEY: DEV_SPARE_KEYS[1] });
    const signers = plan.filter((p) => p.key !== undefined);
    expect(signers.map((p) => p.name)).toEqual(["operator", "payments-1", "payments-2", "redemptions-1", "redemptions-2"]);
    expect(new Set(signers.map((p) => p.address)).size).toBe(signers.length);
  });

  it("has a dev key for every sending process of the largest layout, since API processes need none", () => {
    const plan = processes({ ...dev, api: 8, workers: 8 });
    expect(plan.filter((p) => p.kind === "api")).toHaveLength(8);
    const signers = plan.filter((p) => p.key !== undefined);
    expect(signers).toHaveLength(17);
    expect(new Set(signers.map((p) => p.address)).size).toBe(17);
  });

  it("takes a real chain's keys from the lists and asks for as many as processes", () => {
    const real = { ...dev, devChain: false, operatorKey: k1, api: 2, workers: 2 };
    const plan = processes({ ...real, paymentKeys: [k3!, k4!], redemptionKeys: [k5!, k6!] });
    expect(plan.filter((p) => p.key).map((p) => p.key)).toEqual([k1, k3, k4, k5, k6]);
    expect(planProcesses({ ...real, paymentKeys: [k3!], redemptionKeys: [k5!, k6!] })).toEqual([
      "PAYMENT_WORKER_PRIVATE_KEYS needs 2 keys for 2 processes (got 1)",
    ]);
    expect(planProcesses({ ...real, operatorKey: undefined, paymentKeys: [k3!, k4!], redemptionKeys: [k5!, k6!] })).toEqual([
      "OPERATOR_PRIVATE_KEY is required outside the dev chain",
    ]);
  });

  it("gives each worker serving metrics its own METRICS_PORT", () => {
    const plan = processes({ ...dev, workers: 2, metricsPort: 9100 });
    expect(plan.filter((p) => p.env.METRICS_PORT).map((p) => [p.name, p.env.METRICS_PORT])).toEqual([
      ["payments-1", "9100"],
      ["payments-2", "9101"],
      ["redemptions-1", "9102"],
      ["redemptions-2", "9103"],
      ["webhooks", "9104"],
    ]);
    expect(processes({ ...dev, metricsPort: 0 }).filter((p) => p.env.METRICS_PORT === "0")).toHaveLength(3);
  });

  it("needs a fixed PORT with room for every API process", () => {
    expect(planProcesses({ ...dev, api: 2, port: 0 })).toEqual([expect.stringMatching(/--api 2 needs PORT/)]);
  });

  it("refuses one key in two processes", () => {
    const problems = planProcesses({ ...dev, devChain: false, operatorKey: k1, paymentKeys: [k1!], redemptionKeys: [k2!] });
    expect(problems).toEqual([`payments-1 and operator would sign with one key (${computeAddress(k1!)}): one key per process`]);
  });
});
