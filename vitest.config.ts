import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/services/core/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "contracts",
          include: ["test/contracts/**/*.test.ts"],
          // Each file starts its own in-process Hardhat chain; two cores run two files at once.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
