import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { answerTwoWords, importWallet, signIn } from "../support/web-steps.js";
import { client } from "../support/client.js";
import { admit } from "../support/earn-fixtures.js";
import { stablecoin, tokens, tusd } from "../support/redemption-fixtures.js";
import { depositDirectly, sponsorWithFunds } from "../support/sponsor-fixtures.js";
import { EXPLORER, type WebStack } from "../support/web-stack.js";

const PIN = "246810";
let stack: WebStack;
let browser: Browser;
let scene: Awaited<ReturnType<typeof networkScene>>;
const phones: Page[] = [];
let STORY: string;

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
  // Another network program this point does not record for: its screen must not offer it.
  const other = await admin.post("/v1/programs", { name: "River Cleanup", symbol: "RVR", kind: "recycling", rates: { PET: "1" } });
  expect(other.status, JSON.stringify(other.body)).toBe(201);
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

/**
 * The story, each person on their own phone-sized browser: a collector creates a wallet; a point
 * records a drop-off for it; the collector sees the tokens arrive, pays a retailer with an offline voucher;
 * the retailer submits it and redeems; the sponsor sees the payout. Told on the stack `start` gives, once per
 * test file (`setupMs` for the node, the deployment and the scene); screenshots in test-results/<story>/.
 */
export function tellStory(story: string, start: () => Promise<WebStack>, setupMs = 120_000) {
  STORY = story;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([start(), launchBrowser()]);
    scene = await networkScene();
  }, setupMs);
  afterAll(async () => {
    for (const page of phones) expect(pageErrors(page)).toEqual([]);
    await browser?.close();
    await stack?.close();
  });
  steps();
}

/** Long enough for a batch to be mined and indexed; every wait ends as soon as it is met. */
const SETTLED = { timeout: 30_000 };

async function openPhone(path: string) {
  const { page } = await phone(browser, stack.url);
  phones.push(page);
  await page.goto(path);
  return page;
}

const steps = () => describe("the whole story in phone browsers", () => {
  let collector: Page;
  let collectorAddress: string;
  let voucherPhoto: Buffer;
  let payout: { net: string; fee: string };
  /** Every ledger the collector's page read, as it read it. */
  const ledgerReads: Promise<{ balances: { balance: string }[]; history: { kind: string; status: string }[] } | undefined>[] = [];

  it("a collector creates a wallet and writes down its phrase", async () => {
    collector = await openPhone("/");
    collector.on("response", (response) => {
      if (response.request().method() !== "GET" || !/\/v1\/collectors\/0x[0-9a-fA-F]{40}$/.test(new URL(response.url()).pathname)) return;
      ledgerReads.push(response.json().catch(() => undefined));
    });
    await snap(collector, STORY, "00-home");
    await collector.getByRole("link", { name: /Collector/ }).click();
    await collector.getByLabel("PIN (at least 6 digits)").fill(PIN);
    await collector.getByLabel("PIN again").fill(PIN);
    await collector.getByRole("button", { name: "Create a wallet" }).click();
    const list = collector.getByRole("list", { name: "Write these 12 words down" }).getByRole("listitem");
    await expect.poll(() => list.count()).toBe(12);
    const words = await list.allTextContents();
    await snap(collector, STORY, "01-collector-backup-phrase");
    await collector.getByRole("button", { name: "I wrote them down" }).click();
    // Two of the twelve are asked back before the wallet opens.
    await answerTwoWords(collector, words);
    collectorAddress = (await collector.getByTestId("collector-address").textContent())!;
    expect(collectorAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await snap(collector, STORY, "02-collector-wallet");
  });

  it("a collection point scans the collector's code and records a drop-off for it", async () => {
    const point = await openPhone("/#/point");
    await signIn(point, scene.point.key);
    await expect.poll(() => point.getByLabel("Program").inputValue()).toBe(String(scene.program.id));
    expect(await point.getByLabel("Program").locator("option").allTextContents()).toEqual(["Ocean Plastic (OCP)"]);
    // What the point's camera reads off the collector's screen.
    const code = await collector.getByRole("img", { name: "Your code" }).getAttribute("data-qr-text");
    await point.getByLabel("Collector's wallet", { exact: true }).fill(code!);
    await point.getByRole("button", { name: "Use", exact: true }).click();
    await point.getByRole("button", { name: "PET" }).click();
    await point.getByLabel("Weight in grams").fill("40000");
    await expect.poll(() => point.getByText("About 100 OCP").isVisible()).toBe(true);
    await snap(point, STORY, "03-point-drop-off");
    await point.getByRole("button", { name: "Record" }).click();
    const status = point.getByRole("list", { name: "Today's drop-offs" }).getByRole("listitem").first().getByRole("status");
    await expect.poll(() => status.getAttribute("data-status"), SETTLED).toBe("confirmed");
    // In a word on its line; its block in the details a tap opens.
    expect(await status.textContent()).toBe("Credited");
    expect(await point.getByRole("list", { name: "Today's drop-offs" }).locator(".day-details").first().textContent()).toMatch(/block \d+/);
    expect(await point.getByRole("alert").count()).toBe(0);
    await snap(point, STORY, "04-point-confirmed");
  });

  it("the collector sees the tokens arrive, with the drop-off in the history", async () => {
    const balance = collector.getByRole("list", { name: "Your tokens" }).getByRole("listitem");
    const history = collector.getByRole("list", { name: "History" }).getByRole("listitem").first();
    await expect.poll(() => history.getByRole("status").getAttribute("data-status"), SETTLED).toBe("confirmed");
    // The indexer (default confirmations) is a block or more behind the receipt that confirmed the credit: the
    // balances shown with it include it all the same. Never "No tokens yet" above a confirmed credit.
    expect(await balance.first().textContent()).toContain("100");
    expect(await collector.getByText("No tokens yet").count()).toBe(0);
    const reads = (await Promise.all(ledgerReads)).filter((read) => read !== undefined);
    const withCredit = reads.filter((read) => read.history.some((item) => item.kind === "collection" && item.status === "confirmed"));
    expect(withCredit.length).toBeGreaterThan(0);
    for (const read of withCredit) expect(read.balances.map((b) => b.balance)).toEqual(["100"]);
    await expect.poll(() => history.textContent()).toContain("Drop-off: 40 kg PET");
    const [credited] = await stack.sql<{ txHash: string }[]>`select tx_hash as "txHash" from events`;
    // The status in words; its block and transaction are in the details line a tap opens.
    expect(await history.getByRole("status").textContent()).not.toMatch(/block|0x/i);
    expect(await history.getByRole("link", { name: "Transaction" }).count()).toBe(0);
    await history.locator(".status-details summary").click();
    expect(await history.locator(".status-details").textContent()).toMatch(/block \d+/);
    expect(await history.getByRole("link", { name: "Transaction" }).getAttribute("href")).toBe(`${EXPLORER}/tx/${credited!.txHash}`);
    await snap(collector, STORY, "05-collector-tokens-arrived");
    // The same screen in Bahasa Indonesia, as a collector in Jakarta would read it.
    await collector.getByLabel("Language").selectOption("id");
    await expect.poll(() => collector.getByRole("heading", { name: "Token Anda" }).isVisible()).toBe(true);
    await expect.poll(() => collector.getByRole("list", { name: "Riwayat" }).textContent()).toContain("Setoran: 40 kg PET");
    await snap(collector, STORY, "05b-collector-bahasa-indonesia");
    await collector.getByLabel("Bahasa").selectOption("en");
  });

  it("without a connection, the collector opens the app again and pays the shop 60 tokens with a voucher", async () => {
    // The app is kept on the phone by its service worker; then the signal goes.
    expect(await collector.evaluate(async () => Boolean(await (navigator as unknown as { serviceWorker: { ready: Promise<unknown> } }).serviceWorker.ready))).toBe(true);
    await collector.context().setOffline(true);
    await collector.reload();
    await collector.getByLabel("PIN", { exact: true }).fill(PIN);
    await collector.getByRole("button", { name: "Unlock" }).click();
    await expect.poll(() => collector.getByText(/You are offline/).isVisible()).toBe(true);
    await collector.getByRole("link", { name: "Pay" }).click();
    await collector.getByLabel("Shop's code", { exact: true }).fill(scene.shopWallet.address);
    await collector.getByRole("button", { name: "Use", exact: true }).click();
    await collector.getByLabel("Amount (OCP)").fill("60");
    await collector.getByRole("button", { name: "Next" }).click();
    // Offline, the shop's name cannot be asked: the confirmation names its address, and says why.
    const short = `${scene.shopWallet.address.slice(0, 6)}…${scene.shopWallet.address.slice(-4)}`;
    expect(await collector.getByRole("heading", { name: `Pay 60 OCP to ${short}?` }).isVisible()).toBe(true);
    await collector.getByRole("button", { name: "Yes, pay" }).click();
    await collector.getByRole("button", { name: "Show as offline voucher" }).click();
    const qr = collector.getByRole("img", { name: "Offline voucher" });
    expect(await qr.getAttribute("data-qr-text")).toMatch(/^recircle:v1:[A-Za-z0-9_-]+$/);
    // The shop's phone photographs the collector's screen: a picture of the QR code, nothing else.
    voucherPhoto = await qr.screenshot({ type: "png" });
    await collector.context().setOffline(false);
    await snap(collector, STORY, "06-collector-offline-voucher");
    // Nothing moved yet: the voucher is a signature on the phone, not a transaction.
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.shopWallet.address)).toBe(0n);
    expect(await stack.chain.token(scene.program.token).balanceOf(collectorAddress)).toBe(tokens("100"));
  });

  it("the retailer imports its wallet, takes the voucher from a photo and sees it settle", async () => {
    const shop = await openPhone("/#/retailer");
    await signIn(shop, scene.retailer.key);
    await importWallet(shop, scene.shopWallet.mnemonic!.phrase, "135790");
    await expect.poll(() => shop.getByRole("img", { name: "Pay me" }).getAttribute("data-qr-text")).toBe(scene.shopWallet.address);
    await shop.getByLabel("Voucher: From a photo").setInputFiles({ name: "voucher.png", mimeType: "image/png", buffer: voucherPhoto });
    const taken = shop.getByRole("list", { name: "Vouchers taken" }).getByRole("listitem").first().getByRole("status");
    await expect.poll(() => taken.getAttribute("data-status"), SETTLED).toBe("confirmed");
    await snap(shop, STORY, "07-retailer-voucher-settled");
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.shopWallet.address)).toBe(tokens("60"));
    expect(await token.balanceOf(collectorAddress)).toBe(tokens("40"));
    // The collector's history shows the payment out, settled.
    await collector.getByRole("link", { name: "Wallet" }).click();
    const paid = collector.getByRole("list", { name: "History" }).locator('li[data-reason="RC_PAYMENT_OUT"]');
    await expect.poll(() => paid.getByRole("status").getAttribute("data-status"), SETTLED).toBe("confirmed");
    await snap(collector, STORY, "08-collector-paid");

    // Redeem 50 of the 60 tokens: 0.50 tUSD at 0.01 per token, less the vault's fee. Its status is read in the
    // tab: the "Pay me" card above lists the latest payments with theirs.
    await expect.poll(() => shop.getByRole("list", { name: "Balances" }).textContent(), SETTLED).toContain("60 OCP");
    await shop.getByRole("tab", { name: "Redeem" }).click();
    await shop.getByLabel("Amount to redeem (OCP)").fill("50");
    await shop.getByRole("button", { name: "Redeem", exact: true }).click();
    await expect.poll(() => shop.getByRole("tabpanel").getByRole("status").last().getAttribute("data-status"), SETTLED).toBe("confirmed");
    const [gross, fee, net] = (await shop.getByRole("definition").allTextContents()).map((text) => text.replace(" tUSD", ""));
    expect(gross).toBe("0.5");
    expect(tusd(net!) + tusd(fee!)).toBe(tusd("0.5"));
    expect(await stablecoin(stack).balanceOf(scene.shopWallet.address)).toBe(tusd(net!));
    payout = { net: net!, fee: fee! };
    await snap(shop, STORY, "09-retailer-payout");
  });

  it("the sponsor sees the payout in its dashboard, and the chain agrees", async () => {
    const sponsor = await openPhone("/#/sponsor");
    await signIn(sponsor, scene.sponsor.key);
    const sankey = sponsor.getByRole("img", { name: /^Fund flow:/ });
    // Money with its unit; the shop by its name.
    await expect.poll(() => sankey.getAttribute("aria-label"), SETTLED).toContain(`${payout.net} tUSD paid to retailers`);
    expect(await sankey.getAttribute("aria-label")).toContain(`${payout.fee} tUSD in fees`);
    const payouts = sponsor.getByRole("region", { name: "Payouts per redemption" });
    await expect.poll(() => payouts.textContent()).toContain("Warung Sari");
    await sponsor.getByRole("button", { name: "Re-check against the chain" }).click();
    await expect.poll(() => sponsor.getByText("Reading the chain…").count()).toBe(0);
    await snap(sponsor, STORY, "10-sponsor-dashboard");
    await expect.poll(() => sponsor.getByText(/Matches the chain/).isVisible(), SETTLED).toBe(true);
  });

  it("back online, the collector pays the shop 15 more at once and sees it settle, then reads its credit score", async () => {
    await collector.getByRole("link", { name: "Pay" }).click();
    await collector.getByLabel("Shop's code", { exact: true }).fill(scene.shopWallet.address);
    await collector.getByRole("button", { name: "Use", exact: true }).click();
    await collector.getByLabel("Amount (OCP)").fill("15");
    await collector.getByRole("button", { name: "Next" }).click();
    await collector.getByRole("heading", { name: "Pay 15 OCP to Warung Sari?" }).waitFor();
    await collector.getByRole("button", { name: "Yes, pay" }).click();
    await collector.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => collector.getByRole("status").last().getAttribute("data-status"), SETTLED).toBe("confirmed");
    const sent = collector.locator(".status-line").last();
    expect(await sent.getByRole("status").textContent()).not.toMatch(/block/i);
    await sent.locator(".status-details summary").click();
    expect(await sent.locator(".status-details").textContent()).toMatch(/block \d+/);
    await snap(collector, STORY, "11-collector-paid-online");
    expect(await stack.chain.token(scene.program.token).balanceOf(collectorAddress)).toBe(tokens("25"));

    await collector.getByRole("link", { name: "Score" }).click();
    await expect.poll(() => collector.getByTestId("credit-score").textContent()).toMatch(/^\d{1,4}$/);
    const factors = collector.getByRole("list", { name: "What makes it" }).getByRole("listitem");
    expect(await factors.count()).toBe(4);
    expect(await factors.allTextContents()).toEqual([
      expect.stringContaining("Time collecting"),
      expect.stringContaining("Regularity"),
      expect.stringContaining("Volume trend"),
      expect.stringContaining("Payments"),
    ]);
    await snap(collector, STORY, "12-collector-credit-score");
  });
});
