import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Logger } from "../services/logger.js";

/** A first build is silent for a minute or more: say every so often that it is still going. */
const STILL_GOING_MS = 15_000;

/**
 * `npm start`'s build, after the configuration was checked: the contracts (Hardhat compiles only what changed),
 * then the web app, each announced with how long it took.
 */
export async function buildForStart(log: Logger): Promise<void> {
  await step(log, "compiling the contracts", "hardhat", ["build", "--quiet"]);
  await step(log, "building the web app", "vite", ["build", "web", "--logLevel", "warn"]);
}

async function step(log: Logger, what: string, bin: string, args: string[]): Promise<void> {
  const started = Date.now();
  log.info(`${what}…`);
  const ticker = setInterval(() => log.info(`${what}, still (${Math.round((Date.now() - started) / 1000)} s)`), STILL_GOING_MS);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(join("node_modules", ".bin", bin), args, {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, HARDHAT_DISABLE_TELEMETRY: "true" },
      });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed: ${bin} ${args.join(" ")} exited with ${code}`))));
    });
  } finally {
    clearInterval(ticker);
  }
  log.info({ seconds: Math.round((Date.now() - started) / 100) / 10 }, `${what}: done`);
}
