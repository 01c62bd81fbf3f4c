import { stat } from "node:fs/promises";
import { formatUnits, parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemo } from "../../scripts/seed/demo-file.js";
import { describeDemo, seedDemo } from "../../scripts/seed/run.js";
import { describeSummary, simulateDay } from "../../scripts/simulate/run.js";
import { TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

describe("npm run seed, then npm run simulate", () => {
  let stack: WebStack;
  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("seeds a demo network over HTTP and simulates a day on it: credits, payments online and by voucher, a paid redemption", async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const seeded = await seedDemo({ api: stack.url, adminKey: stack.adminKey, stateDir: stack.config.stateDir, deposit: "1000", log });
    const { demo } = seeded;
    expect(seeded.unfunded, lines.join("\n")).toBeUndefined();
    expect(demo.deposit).toMatchObject({ amount: "1000" });
    expect(demo.retailer.phrase.split(" ")).toHaveLength(12);
    expect(await readDemo(seeded.path)).toEqual(demo);
    expect((await stat(seeded.path)).mode & 0o077).toBe(0);
    const printed = describeDemo(seeded);
    for (const secret of [demo.point.apiKey, demo.retailer.apiKey, demo.sponsor.apiKey, demo.retailer.phrase]) expect(printed).toContain(secret);
    for (const screen of ["#/point", "#/retailer", "#/sponsor", "#/collector"]) expect(printed).toContain(`${stack.url}/${screen}`);

    const vault = stack.deployment.contracts.vault;
    const coin = TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, stack.chain.provider);
    expect(await coin.balanceOf(vault)).toBe(parseUnits("1000", 6));

    const summary = await simulateDay({ demo, collectors: 4, timeoutMs: 50_000, seed: 7, log });
    const context = [...lines, describeSummary(summary, demo.program.symbol, demo.stablecoin)].join("\n");
    expect(summary.ok, context).toBe(true);
    expect(summary.problems, context).toEqual([]);
    expect(summary.dropOffs.accepted, context).toBeGreaterThanOrEqual(4);
    expect(summary.dropOffs.credited, context).toBe(summary.dropOffs.accepted);
    expect(summary.payments, context).toMatchObject({ online: 1, vouchers: 1, settled: 2, failed: 0 });
    expect(summary.redemption, context).toMatchObject({ status: "confirmed" });

    // On chain: the shop holds what it took less what it redeemed, and the vault paid it the net.
    const token = stack.chain.token(demo.program.token);
    const redeemed = parseUnits(summary.redemption!.tokens, 18);
    expect(redeemed).toBeGreaterThan(0n);
    expect(await token.balanceOf(demo.retailer.address)).toBe(parseUnits(summary.payments.tokens, 18) - redeemed);
    expect(await token.totalSupply()).toBe(parseUnits(summary.dropOffs.tokens, 18) - redeemed);
    const net = await coin.balanceOf(demo.retailer.address);
    expect(formatUnits(net, 6)).toBe(formatUnits(parseUnits(summary.redemption!.net!, 6), 6));
    const redemptionEvents = await stack.chain.vault.queryFilter(stack.chain.vault.filters.Redeemed(), summary.redemption!.blockNumber!, summary.redemption!.blockNumber!);
    expect(redemptionEvents.map((e) => e.args.retailer)).toContain(demo.retailer.address);
    expect(await coin.balanceOf(vault)).toBe(parseUnits("1000", 6) - parseUnits(summary.redemption!.gross!, 6));

    // Bounded: a day that cannot finish in time is a failure that says what it was waiting for.
    const late = await simulateDay({ demo, collectors: 1, timeoutMs: 1, seed: 7 });
    expect(late.ok).toBe(false);
    expect(late.problems.join("\n")).toMatch(/timed out waiting for drop-off #\d+ credited/);
  }, 120_000);
});
