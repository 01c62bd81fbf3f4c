import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, eventually } from "../support/earn-fixtures.js";
import { tokens } from "../support/redemption-fixtures.js";
import { depositDirectly, sponsorWithFunds } from "../support/sponsor-fixtures.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

/**
 * The story, each person on their own phone-sized browser: a collector creates a wallet; a point
 * records a drop-off for it; the collector sees the tokens arrive, pays a retailer with an offline voucher;
 * the retailer submits it and redeems; the sponsor sees the payout. Screenshots: test-results/story/.
 */
const STORY = "story";
const PIN = "246810";
let stack: WebStack;
let browser: Browser;
let scene: Awaited<ReturnType<typeof networkScene>>;
const phones: Page[] = [];

/** What the operator sets up before anyone picks up a phone: a program, a point, a shop and a funded sponsor. */
async function networkScene() {
  const admin = client(stack.app, stack.adminKey);
  const program = await admin.post("/v1/programs", {
    name: "Ocean Plastic",
    symbol: "OCP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
  });
  expect(program.status, JSON.stringify(program.body)).toBe(201);
  const point = await admit(stack, "collection_point", "Point Ketapang");
  expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: point.id })).status).toBe(201);
  // The shop's wallet is made from a phrase the shopkeeper wrote down; the phone imports it.
  const shopWallet = Wallet.createRandom();
  const retailer = await admit(stack, "retailer", "Warung Sari", shopWallet.address);
  expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: retailer.id })).status).toBe(201);
  const sponsor = await sponsorWithFunds(stack, "50");
  await depositDirectly(stack, sponsor.wallet, program.body.token, "20");
  return { program: program.body, point, retailer, shopWallet, sponsor };
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
  scene = await networkScene();
}, 120_000);
afterAll(async () => {
  for (const page of phones) expect(pageErrors(page)).toEqual([]);
  await browser?.close();
  await stack?.close();
});

async function openPhone(path: string) {
  const { page } = await phone(browser, stack.url);
  phones.push(page);
  await page.goto(path);
  return page;
}

describe("the whole story in phone browsers", () => {
  let collector: Page;
  let collectorAddress: string;

  it("a collector creates a wallet and writes down its phrase", async () => {
    collector = await openPhone("/");
    await snap(collector, STORY, "00-home");
    await collector.getByRole("link", { name: /Collector/ }).click();
    await collector.getByLabel("PIN (at least 6 digits)").fill(PIN);
    await collector.getByLabel("PIN again").fill(PIN);
    await collector.getByRole("button", { name: "Create a wallet" }).click();
    const words = collector.getByRole("list", { name: "Write these 12 words down" }).getByRole("listitem");
    await expect.poll(() => words.count()).toBe(12);
    await snap(collector, STORY, "01-collector-backup-phrase");
    await collector.getByRole("button", { name: "I wrote them down" }).click();
    collectorAddress = (await collector.getByTestId("collector-address").textContent())!;
    expect(collectorAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await snap(collector, STORY, "02-collector-wallet");
  });

  it("a collection point records a drop-off for it", async () => {
    // TODO(story): through the point's page once it lands.
    const point = client(stack.app, scene.point.key);
    expect((await point.post("/v1/collectors", { address: collectorAddress })).status).toBe(201);
    const dropOff = await point.post(
      "/v1/collections",
      { programId: scene.program.id, collector: collectorAddress, material: "PET", grams: 40_000 },
      { "idempotency-key": "story-drop-off-1" },
    );
    expect(dropOff.status).toBe(202);
    await eventually(() => point.get(`/v1/collections/${dropOff.body.id}`), (r) => r.body.status === "confirmed");
  });

  it("the collector sees the tokens arrive, with the drop-off in the history", async () => {
    const balance = collector.getByRole("list", { name: "Your tokens" }).getByRole("listitem");
    await expect.poll(() => balance.first().textContent(), { timeout: 20_000 }).toContain("100");
    const history = collector.getByRole("list", { name: "History" }).getByRole("listitem").first();
    await expect.poll(() => history.textContent()).toContain("Drop-off: 40 kg PET");
    await expect.poll(() => history.getByRole("status").getAttribute("data-status")).toBe("confirmed");
    await snap(collector, STORY, "03-collector-tokens-arrived");
  });

  it("the collector pays the shop 60 tokens with an offline voucher", async () => {
    await collector.getByRole("link", { name: "Pay" }).click();
    await collector.getByLabel("Shop's code", { exact: true }).fill(scene.shopWallet.address);
    await collector.getByRole("button", { name: "Use", exact: true }).click();
    await collector.getByLabel("Amount (OCP)").fill("60");
    await collector.getByRole("button", { name: "Sign the payment" }).click();
    await collector.getByRole("button", { name: "Show as offline voucher" }).click();
    const qr = collector.getByRole("img", { name: "Offline voucher" });
    const voucher = await qr.getAttribute("data-qr-text");
    expect(voucher).toMatch(/^recircle:v1:[A-Za-z0-9_-]+$/);
    await snap(collector, STORY, "04-collector-offline-voucher");
    // Nothing moved yet: the voucher is a signature on the phone, not a transaction.
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.shopWallet.address)).toBe(0n);
    expect(await stack.chain.token(scene.program.token).balanceOf(collectorAddress)).toBe(tokens("100"));
  });
});
