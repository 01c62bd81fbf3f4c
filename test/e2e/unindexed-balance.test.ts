import { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../services/db/chain-events.js";
import { pageErrors, phone } from "../support/browser.js";
import { eventually, idempotencyKey, recyclingScene } from "../support/earn-fixtures.js";
import { useWebStory } from "../support/web-story.js";
import { importWallet } from "../support/web-steps.js";

/**
 * The index runs CHAIN_CONFIRMATIONS behind the head, and an indexer can fall further behind (a slow node,
 * a restart): a credit is confirmed from its receipt before the index has it. The collector's page must show
 * it in the balance all the same, never "No tokens yet" above it. Here the indexer is paused to hold the
 * index behind for as long as the assertions take; the story test checks the same at default pace.
 */
let page: Page;
const web = useWebStory();
// Registered after the story's own afterAll, so run before it: the page is read before the browser closes.
afterAll(() => {
  if (page) expect(pageErrors(page)).toEqual([]);
});

describe("the collector's balance before the indexer reaches a credit", () => {
  it("shows the confirmed credit in the balance while the index is behind, then the same once indexed", async () => {
    const { program, point } = await recyclingScene(web.stack);
    const wallet = Wallet.createRandom();
    expect((await point.api.post("/v1/collectors", { address: wallet.address, displayName: "Ayu" })).status).toBe(201);
    ({ page } = await phone(web.browser, web.stack.url));
    await page.goto("/#/collector");
    await importWallet(page, wallet.mnemonic!.phrase, "246810");
    await expect.poll(() => page.getByText("No tokens yet").count(), { timeout: 10_000 }).toBe(1);

    // The index has everything so far; then the indexer stops reading.
    const head = await web.stack.chain.provider.getBlockNumber();
    await eventually(() => readCheckpoint(web.stack.sql), (checkpoint) => (checkpoint?.blockNumber ?? 0) >= head - 1);
    web.stack.indexer.kill("SIGSTOP");
    const checkpoint = (await readCheckpoint(web.stack.sql))!.blockNumber;

    const dropOff = { programId: program.id, collector: wallet.address, material: "PET", grams: 4_000 };
    const accepted = await point.api.post("/v1/collections", dropOff, idempotencyKey());
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const confirmed = await eventually(() => point.api.get(`/v1/collections/${accepted.body.id}`), (r) => r.body.status === "confirmed");
    expect(confirmed.body.blockNumber).toBeGreaterThan(checkpoint);

    const history = page.getByRole("list", { name: "History" }).getByRole("listitem").first();
    await expect.poll(() => history.getByRole("status").getAttribute("data-status"), { timeout: 10_000 }).toBe("confirmed");
    const balance = page.getByRole("list", { name: "Your tokens" }).getByRole("listitem");
    expect(await balance.allTextContents()).toEqual([expect.stringContaining("10")]);
    expect(await page.getByText("No tokens yet").count()).toBe(0);
    expect(await page.getByText(`As of block ${checkpoint}`).count()).toBe(0);
    expect((await readCheckpoint(web.stack.sql))!.blockNumber).toBe(checkpoint);

    web.stack.indexer.kill("SIGCONT");
    await eventually(() => readCheckpoint(web.stack.sql), (c) => c!.blockNumber >= confirmed.body.blockNumber);
    // The page's next read answers from the index alone: the same balance.
    const indexedRead = page.waitForResponse((r) => r.url().endsWith(`/v1/collectors/${wallet.address}`), { timeout: 10_000 });
    const read = (await (await indexedRead).json()) as { balances: { balance: string }[]; balancesBlock: number; indexedBlock: number };
    expect(read.balances.map((b) => b.balance)).toEqual(["10"]);
    expect(read.balancesBlock).toBe(read.indexedBlock);
    expect(await balance.allTextContents()).toEqual([expect.stringContaining("10")]);
  });
});
