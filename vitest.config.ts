import { defineConfig } from "vitest/config";

/** The files that run on Anvil nodes of their own, not on the run's Hardhat node. */
const NETWORK = [
  "test/services/network/**/*.test.ts",
  "test/e2e/anvil-*.test.ts",
  "test/harness/anvil-reap.test.ts",
  "test/harness/chaos/chain-chaos.test.ts",
  "test/services/chain/sender-*.test.ts",
];

/**
 * How long a poll waits for a page or the API by default. Vitest's 1 s is less than one answer of the API takes when
 * the Hardhat and network suites share two loaded cores (a counter test's lost-answer alert failed a CI run so).
 * This is the test's patience only: no timeout of the product changes.
 */
const PAGE_PATIENCE = { timeout: 10_000, interval: 50 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // The harnesses' pure helpers (the bench chart, the shared library) and the API client (over a fake fetch)
          // are unit-tested too.
          include: [
            "test/services/core/**/*.test.ts",
            "test/services/api/client/**/*.test.ts",
            "test/architecture/**/*.test.ts",
            "test/harness/bench/**/*.test.ts",
            "test/harness/lib/**/*.test.ts",
            "test/web/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "contracts",
          include: ["test/contracts/**/*.test.ts"],
          // Each file starts its own in-process Hardhat chain.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/services/**/*.test.ts", "test/scripts/**/*.test.ts", "test/harness/**/*.test.ts", "test/e2e/**/*.test.ts"],
          exclude: ["test/services/core/**", "test/services/api/client/**", "test/harness/bench/**", "test/harness/lib/**", ...NETWORK],
          // One Hardhat node for the run; files share its operator key, so they run one at a time.
          globalSetup: ["test/support/global-chain.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll: PAGE_PATIENCE },
        },
      },
      {
        test: {
          name: "network",
          include: NETWORK,
          // Each file starts an Anvil node of its own (another chain, so the dev keys' nonces are its own): these
          // run beside the Hardhat files, mostly waiting for 2 s blocks, one at a time among themselves.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          expect: { poll: PAGE_PATIENCE },
        },
      },
    ],
  },
});
