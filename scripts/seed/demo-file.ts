import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * What `npm run seed` made, written to STATE_DIR/demo.json (owner-only; STATE_DIR is outside git) for
 * `npm run simulate` and for a person trying the web app. It holds secrets: API keys and wallet phrases.
 */
export interface Demo {
  api: string;
  createdAt: string;
  chainId: number;
  /** The vault's stablecoin symbol (tUSD on the dev chain): what redemptions pay and deposits hold. */
  stablecoin: string;
  program: { id: number; name: string; symbol: string; token: string; rates: Record<string, string>; redemptionRate: string };
  point: { id: number; name: string; apiKey: string };
  retailer: { id: number; name: string; apiKey: string; address: string; phrase: string };
  sponsor: { id: number; name: string; apiKey: string; address: string; phrase: string };
  /** The relayed deposit, or null when the sponsor could not be funded here (a chain other than the dev chain). */
  deposit: { depositId: number; amount: string; txHash: string; blockNumber: number } | null;
}

export const demoPath = (stateDir: string) => join(stateDir, "demo.json");

export async function writeDemo(stateDir: string, demo: Demo): Promise<string> {
  const path = demoPath(stateDir);
  await mkdir(stateDir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

export async function readDemo(path: string): Promise<Demo> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${path} does not exist: run npm run seed first`);
    throw error;
  }
  const demo = JSON.parse(text) as Demo;
  if (!demo.program?.id || !demo.point?.apiKey || !demo.retailer?.phrase) throw new Error(`${path}: not a demo written by npm run seed`);
  return demo;
}
