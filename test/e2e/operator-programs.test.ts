import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { idempotencyKey, recyclingScene } from "../support/earn-fixtures.js";
import { signIn } from "../support/web-steps.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

const STORY = "operator-programs";
let stack: WebStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function programsTab(page: Page): Promise<Page> {
  await page.goto("/#/operator");
  await signIn(page, stack.adminKey);
  await page.getByRole("tab", { name: "Programs" }).click();
  return page;
}

describe("the console's Programs tab", () => {
  it("edits a rate, which a new drop-off earns by, shows the change in the history, and pauses and unpauses the token (phone)", async () => {
    const scene = await recyclingScene(stack);
    const page = await programsTab((await phone(browser, stack.url)).page);
    const row = page.locator(`tr[data-program="${scene.program.id}"]`);
    await row.getByRole("button", { name: "Edit terms" }).click();

    const terms = page.locator(".program-terms");
    expect(await terms.getByLabel("PET").inputValue()).toBe("2.5");
    await terms.getByLabel("PET").fill("4");
    await terms.getByRole("button", { name: "Save terms" }).click();
    await expect.poll(() => terms.getByRole("status").textContent()).toContain("Saved");
    const history = terms.getByRole("table", { name: "Changes of terms" });
    await expect.poll(() => history.locator("tbody tr").count()).toBe(1);
    expect(await history.textContent()).toContain("PET: 2.5 → 4");
    await snap(page, STORY, "01-terms-changed");

    const dropOff = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    expect(dropOff.body.tokens).toBe("4");

    await row.getByRole("button", { name: "Pause token" }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("Paused");
    expect(await stack.chain.token(scene.program.token).paused()).toBe(true);
    await snap(page, STORY, "02-paused");
    await row.getByRole("button", { name: "Unpause token" }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("Running");
    expect(await stack.chain.token(scene.program.token).paused()).toBe(false);
    expect(pageErrors(page)).toEqual([]);
  });

  it("creates a recycling program in the Philippines from the form, shows its country, and says why the token cannot be paused before governance allows it (desktop)", async () => {
    const context = await browser.newContext({ baseURL: stack.url, viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await programsTab(await context.newPage());
    await page.getByLabel("Name", { exact: true }).fill("Pasig Malinis");
    await page.getByLabel("Symbol").fill("psg");
    // Indonesia unless the operator says otherwise, as every program before programs carried a country.
    const country = page.getByLabel("Country (for phone numbers)");
    expect(await country.inputValue()).toBe("ID");
    await country.selectOption({ label: "Philippines" });
    await page.getByLabel("Redemption rate (stablecoin per token)").fill("0.02");
    await page.getByLabel("HDPE").fill("3");
    await page.getByRole("button", { name: "Create program" }).click();
    await expect.poll(() => page.getByRole("status").textContent(), { timeout: 30_000 }).toContain("Program Pasig Malinis created.");

    const created = (await stack.app.inject({ url: "/v1/programs", headers: { authorization: `Bearer ${stack.adminKey}` } })).json();
    const program = created.find((p: { symbol: string }) => p.symbol === "PSG");
    expect(program).toMatchObject({ kind: "recycling", rates: { HDPE: "3" }, redemptionRate: "0.02", phoneCountry: "PH", caps: { perIssuerDaily: "3000" }, paused: false });
    const row = page.locator(`tr[data-program="${program.id}"]`);
    await row.getByRole("button", { name: "Edit terms" }).click();
    await expect.poll(() => page.getByTestId("program-country").textContent()).toBe("Runs in Philippines: its points read local phone numbers as written there.");
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByTestId("program-country").textContent()).toBe("Berjalan di Filipina: titiknya membaca nomor HP lokal seperti ditulis di sana.");
    await page.getByLabel("Bahasa").selectOption("en");
    // A program made from the console is paused from it too: the deployment names the operator its tokens' pauser.
    await row.getByRole("button", { name: "Pause token" }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain("Paused");
    expect(await stack.chain.token(program.token).paused()).toBe(true);
    await snap(page, STORY, "03-created-desktop");
    await context.close();
  });
});
