import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../services/config.js";

// Hardhat's published dev accounts #4 and #5: public test data, not secrets.
const K4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
const K5 = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError, the configuration loaded");
}

describe("loadConfig: one key per process", () => {
  it("reads comma-separated key lists, empty when unset", () => {
    expect(loadConfig({})).toMatchObject({ paymentWorkerPrivateKeys: [], redemptionWorkerPrivateKeys: [] });
    expect(loadConfig({ PAYMENT_WORKER_PRIVATE_KEYS: ` ${K4}, ${K5} ` }).paymentWorkerPrivateKeys).toEqual([K4, K5]);
  });

  it("refuses a list with a malformed key or one key twice", () => {
    expect(problemsOf({ PAYMENT_WORKER_PRIVATE_KEYS: `${K4},0x12` })).toEqual([
      "PAYMENT_WORKER_PRIVATE_KEYS must list 0x-prefixed 32-byte hex keys, comma-separated",
    ]);
    expect(problemsOf({ REDEMPTION_WORKER_PRIVATE_KEYS: `${K4},${K4.toUpperCase().replace("0X", "0x")}` })).toEqual([
      "REDEMPTION_WORKER_PRIVATE_KEYS lists a key twice (one key per process)",
    ]);
  });
});
