import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

const STORY = "story";
let stack: WebStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("the whole story in a phone browser", () => {
  it("a collector creates a wallet", async () => {
    const { page } = await phone(browser, stack.url);
    await page.goto("/");
    await page.getByRole("link", { name: /Collector/ }).click();
    await page.getByLabel("PIN (at least 6 digits)").fill("246810");
    await page.getByLabel("PIN again").fill("246810");
    await page.getByRole("button", { name: "Create a wallet" }).click();
    const words = page.getByRole("list", { name: "Write these 12 words down" }).getByRole("listitem");
    await expect.poll(() => words.count()).toBe(12);
    await snap(page, STORY, "01-backup-phrase");
    await page.getByRole("button", { name: "I wrote them down" }).click();
    await expect.poll(() => page.locator("code").first().textContent()).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await snap(page, STORY, "02-wallet");
    expect(pageErrors(page)).toEqual([]);
  });
});
