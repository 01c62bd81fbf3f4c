import { type HDNodeWallet, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, idempotencyKey } from "../support/earn-fixtures.js";
import { fundProgram, stablecoin, tokens, tusd } from "../support/redemption-fixtures.js";
import { importWallet, signIn } from "../support/web-steps.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

const STORY = "collector-shop";
const PIN = "246810";
const CONFIRM = { timeout: 30_000, interval: 250 };
/** A page waiting on one answer of the API or the phone's own work: a busy machine can stretch it past a second. */
const ANSWER = { timeout: 10_000 };
let stack: WebStack;
let browser: Browser;
let program: { id: number; name: string; token: string };
let point: Awaited<ReturnType<typeof admit>>;
let shop: Awaited<ReturnType<typeof admit>> & { wallet: HDNodeWallet };
let collector: Page;
let collectorAddress: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
  const admin = client(stack.app, stack.adminKey);
  const created = await admin.post("/v1/programs", { name: "Ocean Plastic", symbol: "OCP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5" }, caps: { perEvent: "20" } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  program = created.body;
  point = await admit(stack, "collection_point", "Point Ketapang");
  const wallet = Wallet.createRandom();
  shop = { ...(await admit(stack, "retailer", "Warung Bu Tini", wallet.address)), wallet };
  for (const member of [point, shop]) expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: member.id })).status).toBe(201);
  await fundProgram(stack, program.token, ["40"]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Elements wider than the 360 px screen, and words people must never see: both must be empty. */
async function checkScreen(page: Page) {
  const wide = await page.evaluate<string[]>(
    `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className)`,
  );
  expect(wide).toEqual([]);
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/RC_[A-Z]/);
  expect(text).not.toContain("Something went wrong:");
  expect(pageErrors(page)).toEqual([]);
}

/** The two phone screens every screen is checked on: the 360 px one the pages open at, and a 390 px one. */
const SCREENS = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
] as const;

/**
 * The screen as it stands, at both widths in both languages: each checked (nothing wider than the phone, no RC_ code,
 * no "Something went wrong:") and photographed as `<step>-<width>-<language>`; left at 360 px in English. `heading` is
 * the screen's heading in each language, which says the language has been applied.
 */
async function onEveryPhone(page: Page, step: string, heading: Record<"en" | "id", string>) {
  for (const screen of SCREENS) {
    await page.setViewportSize(screen);
    for (const language of ["en", "id"] as const) {
      // The menu's own label changes with the language: found by its place in the title bar.
      await page.locator("header.bar select").selectOption(language);
      await expect.poll(() => page.getByRole("heading", { name: heading[language] }).isVisible(), ANSWER).toBe(true);
      await page.evaluate("scrollTo(0, 0)");
      await checkScreen(page);
      await snap(page, STORY, `${step}-${screen.width}-${language}`);
    }
  }
  await page.setViewportSize(SCREENS[0]);
  await page.locator("header.bar select").selectOption("en");
}

describe("the collector's and the shop's screens, one-handed", () => {
  it("a new wallet opens only once two of its twelve words are typed back, its tabs at the bottom", async () => {
    ({ page: collector } = await phone(browser, stack.url));
    await collector.goto("/#/collector");
    await collector.getByLabel("PIN (at least 6 digits)").fill(PIN);
    await collector.getByLabel("PIN again").fill(PIN);
    await collector.getByRole("button", { name: "Create a wallet" }).click();
    const list = collector.getByRole("list", { name: "Write these 12 words down" }).getByRole("listitem");
    await expect.poll(() => list.count()).toBe(12);
    const words = await list.allTextContents();
    await collector.getByRole("button", { name: "I wrote them down" }).click();
    const asked = collector.getByLabel(/^Word \d+$/);
    await expect.poll(() => asked.count(), ANSWER).toBe(2);
    const positions = await Promise.all((await asked.all()).map((input) => input.evaluate((e) => Number(/\d+/.exec(e.closest("label")!.textContent!)![0]))));
    expect(positions[0]).not.toBe(positions[1]);
    // A wrong word keeps the screen shut, and says why.
    await asked.nth(0).fill(words[positions[0]! - 1]!);
    await asked.nth(1).fill(words[positions[1]! % 12]!);
    expect(await collector.getByText("Not the same words").isVisible()).toBe(true);
    expect(await collector.getByRole("button", { name: "Continue" }).isDisabled()).toBe(true);
    await snap(collector, STORY, "01-words-asked-back");
    await asked.nth(1).fill(` ${words[positions[1]! - 1]!.toUpperCase()} `);
    await collector.getByRole("button", { name: "Continue" }).click();
    collectorAddress = (await collector.getByTestId("collector-address").textContent())!;
    expect(collectorAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    // The tab bar sits on the bottom edge of the screen, within the thumb's reach.
    const bar = (await collector.getByRole("navigation", { name: "Collector" }).boundingBox())!;
    expect(bar.y + bar.height).toBeCloseTo(740, 0);
    await checkScreen(collector);
  });

  it("the collector pays the shop by name, after confirming 'Pay 4 OCP to Warung Bu Tini?'", async () => {
    const registered = await point.api.post("/v1/collectors", { address: collectorAddress });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const drop = await point.api.post("/v1/collections", { programId: program.id, collector: collectorAddress, material: "PET", grams: 4000 }, idempotencyKey());
    expect(drop.status, JSON.stringify(drop.body)).toBe(202);
    await expect.poll(() => collector.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("10");
    // 10 kg would earn 25 OCP, over the program's 20 a drop-off: held, and the collector is told why in words.
    const over = await point.api.post("/v1/collections", { programId: program.id, collector: collectorAddress, material: "PET", grams: 10_000 }, idempotencyKey());
    expect(over.status, JSON.stringify(over.body)).toBe(202);
    const held = collector.getByRole("list", { name: "History" }).locator("li").filter({ has: collector.locator('[data-status="held"]') });
    await expect.poll(() => held.getByRole("status").textContent(), CONFIRM).toContain("over the program's limit for one drop-off");
    expect(await held.getByRole("status").textContent()).toContain("Held for review");
    await checkScreen(collector);

    await collector.getByRole("link", { name: "Pay" }).click();
    await collector.getByLabel("Shop's code", { exact: true }).fill(shop.wallet.address);
    await collector.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => collector.getByTestId("payee-name").textContent(), ANSWER).toBe("Warung Bu Tini");
    await collector.getByLabel("Amount (OCP)").fill("4");
    await collector.getByRole("button", { name: "Next" }).click();
    expect(await collector.getByRole("heading", { name: "Pay 4 OCP to Warung Bu Tini?" }).isVisible()).toBe(true);
    // The address one tap away.
    await collector.getByText("Shop's address").click();
    expect(await collector.getByText(shop.wallet.address).isVisible()).toBe(true);
    await onEveryPhone(collector, "02-pay-confirm", { en: "Pay 4 OCP to Warung Bu Tini?", id: "Bayar 4 OCP ke Warung Bu Tini?" });
    await collector.getByRole("button", { name: "Yes, pay" }).click();
    await collector.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => collector.getByRole("status").last().getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(await stack.chain.token(program.token).balanceOf(shop.wallet.address)).toBe(tokens("4"));
    await collector.getByRole("button", { name: "Done" }).click();

    // The same question in Bahasa Indonesia.
    await collector.getByLabel("Language").selectOption("id");
    await collector.getByLabel("Kode toko", { exact: true }).fill(shop.wallet.address);
    await collector.getByRole("button", { name: "Pakai", exact: true }).click();
    await collector.getByLabel("Jumlah (OCP)").fill("1,5");
    await collector.getByRole("button", { name: "Lanjut" }).click();
    expect(await collector.getByRole("heading", { name: "Bayar 1,5 OCP ke Warung Bu Tini?" }).isVisible()).toBe(true);
    await snap(collector, STORY, "03-pay-confirm-id");
    await checkScreen(collector);
    await collector.getByRole("button", { name: "Kembali" }).click();
    await collector.getByLabel("Bahasa").selectOption("en");
  });

  it("a signed payment left with 'Done' is kept as a voucher, across a reload, until it is sent", async () => {
    await collector.getByLabel("Amount (OCP)").fill("2");
    await collector.getByRole("button", { name: "Next" }).click();
    await collector.getByRole("button", { name: "Yes, pay" }).click();
    expect(await collector.getByText("Not sent yet").isVisible()).toBe(true);
    await collector.getByRole("button", { name: "Done" }).click();
    const kept = collector.getByRole("list", { name: "Vouchers kept on this phone" }).getByRole("listitem");
    await expect.poll(() => kept.allTextContents(), ANSWER).toEqual([expect.stringContaining("2 OCP to Warung Bu Tini")]);
    await snap(collector, STORY, "04-kept-voucher");
    await checkScreen(collector);

    await collector.reload();
    await collector.getByLabel("PIN", { exact: true }).fill(PIN);
    await collector.getByRole("button", { name: "Unlock" }).click();
    // Unlocking (the keystore's key derivation) takes a moment on a busy machine.
    await expect.poll(() => kept.count(), ANSWER).toBe(1);
    await kept.getByRole("button", { name: "Show" }).click();
    expect(await collector.getByRole("img", { name: "Offline voucher" }).getAttribute("data-qr-text")).toMatch(/^recircle:v1:/);
    await collector.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => collector.getByRole("status").last().getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(await stack.chain.token(program.token).balanceOf(shop.wallet.address)).toBe(tokens("6"));
    await collector.getByRole("button", { name: "Done" }).click();
    expect(await kept.count()).toBe(0);
    await checkScreen(collector);
  });

  it("the shop imports its phrase first, shows its 'Pay me' code first and sees its money", async () => {
    const { page } = await phone(browser, stack.url);
    await page.goto("/#/retailer");
    await signIn(page, shop.key);
    await expect.poll(() => page.getByRole("heading", { name: "Import your shop's phrase" }).isVisible(), ANSWER).toBe(true);
    expect(await page.getByLabel("Backup phrase (12 words)").isVisible()).toBe(true);
    await importWallet(page, shop.wallet.mnemonic!.phrase, "135790");
    await expect.poll(() => page.getByRole("img", { name: "Pay me" }).getAttribute("data-qr-text"), ANSWER).toBe(shop.wallet.address);
    expect(await page.locator("section.card h2").first().textContent()).toBe("Pay me");
    await expect.poll(() => page.getByTestId("stable-balance").textContent(), CONFIRM).toBe("0 tUSD");
    expect(await page.getByTestId("paid-out").textContent()).toBe("Paid out so far: 0 tUSD");
    await expect.poll(() => page.getByRole("list", { name: "Balances" }).textContent(), CONFIRM).toContain("6 OCP");

    await page.getByRole("tab", { name: "Redeem" }).click();
    await page.getByLabel("Amount to redeem (OCP)").fill("6");
    await page.getByRole("button", { name: "Redeem", exact: true }).click();
    await expect.poll(() => page.getByRole("tabpanel").getByRole("status").last().getAttribute("data-status"), CONFIRM).toBe("confirmed");
    const held = await stablecoin(stack).balanceOf(shop.wallet.address);
    expect(held).toBeGreaterThan(0n);
    const [, , net] = (await page.getByRole("definition").allTextContents()).map((text) => text.replace(" tUSD", ""));
    expect(tusd(net!)).toBe(held);
    await expect.poll(() => page.getByTestId("stable-balance").textContent(), CONFIRM).toBe(`${net} tUSD`);
    await expect.poll(() => page.getByTestId("paid-out").textContent(), CONFIRM).toBe(`Paid out so far: ${net} tUSD`);
    expect(await page.getByRole("list", { name: "Latest payouts" }).getByRole("listitem").count()).toBe(1);
    await onEveryPhone(page, "05-shop-money", { en: "Your money", id: "Uang Anda" });
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByTestId("paid-out").textContent(), ANSWER).toContain("Sudah dibayarkan:");
  });
});
