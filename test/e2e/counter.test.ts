import qrcode from "qrcode-generator";
import { parseUnits, Signature, Wallet, type HDNodeWallet } from "ethers";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { rewardTokenDomain, signTransferAuthorization } from "../../services/chain/eip3009.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { encodeVoucher } from "../../services/core/voucher.js";
import { pageErrors, phone, snap } from "../support/browser.js";
import { createWallet, importWallet, openPoint, signIn } from "../support/web-steps.js";
import { admit, grant, programWithPoint } from "../support/earn-fixtures.js";
import { fundProgram, stablecoin, tokens, tusd } from "../support/redemption-fixtures.js";
import { useWebStory } from "../support/web-story.js";

const STORY = "counter";
const CONFIRM = { timeout: 30_000, interval: 250 };
/** A page waiting on one answer of the API: a real round trip, which a busy machine can stretch past a second. */
const ANSWER = { timeout: 10_000 };
let program: { id: number; name: string; token: string };
type Member = Awaited<ReturnType<typeof admit>>;
let point: Member;
let retailer: Member & { wallet: HDNodeWallet };
const collector = Wallet.createRandom();
const nonces = new PaymentNonces();

const web = useWebStory(async ({ stack }) => {
  const ocean = { name: "Ocean Plastic", symbol: "OCP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5", HDPE: "2" } };
  ({ program, point } = await programWithPoint(stack, ocean, "Point Ketapang"));
  // The shop's wallet: a 12-word phrase made here, typed into the shop's phone below.
  const wallet = Wallet.createRandom();
  retailer = { ...(await admit(stack, "retailer", "Warung Bu Tini", wallet.address)), wallet };
  await grant(stack, program.id, retailer.id);
  await fundProgram(stack, program.token, ["40", "60"]);
});

/** The collector's phone, offline: an EIP-3009 authorization to the shop, as a voucher (services/core/voucher.ts). */
async function offlineVoucher(amount: string, to = retailer.wallet.address): Promise<string> {
  const validBefore = Math.floor(Date.now() / 1000) + 3600;
  const authorization = { from: collector.address, to, value: parseUnits(amount, 18), validAfter: 0n, validBefore: BigInt(validBefore), nonce: nonces.take() };
  const domain = rewardTokenDomain(program.name, BigInt(web.stack.chain.chainId), program.token);
  const signed = await signTransferAuthorization(collector, domain, authorization);
  const signature = Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized;
  return encodeVoucher({ ...authorization, programId: program.id, validAfter: 0, validBefore, signature });
}

/** A picture of the voucher's QR as a phone screen shows it: rendered in a page, screenshot as a PNG. */
async function voucherPhoto(voucher: string): Promise<Buffer> {
  const code = qrcode(0, "M");
  code.addData(voucher, "Byte");
  code.make();
  const { context, page } = await phone(web.browser, web.stack.url);
  await page.setContent(`<body style="margin:0;background:#fff"><div id="qr" style="padding:16px;width:max-content">${code.createSvgTag({ cellSize: 4, margin: 4, scalable: false })}</div></body>`);
  const png = await page.locator("#qr").screenshot({ type: "png" });
  await context.close();
  return png;
}

/** The shop's phone takes the shop's wallet from its 12-word phrase, as a new phone would. */
async function importShopWallet(page: Page) {
  await importWallet(page, retailer.wallet.mnemonic!.phrase, "135790");
  await expect.poll(() => page.getByRole("img", { name: "Pay me" }).getAttribute("data-qr-text")).toBe(retailer.wallet.address);
}

const statusOf = (page: Page, list: string, index = 0) =>
  page.getByRole("list", { name: list }).getByRole("status").nth(index);

describe("a collection point and a retailer at their counters", () => {
  it("the point records a drop-off for a scanned collector and sees it minted", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await openPoint(page, point.key, program.id);
    await page.getByLabel("Collector's wallet", { exact: true }).fill(`ethereum:${collector.address}@${web.stack.chain.chainId}`);
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByText("Collector:").isVisible()).toBe(true);
    await page.getByRole("button", { name: "PET" }).click();
    await page.getByLabel("Weight in grams").fill("8000");
    await expect.poll(() => page.getByText("About 20 OCP").isVisible()).toBe(true);
    await snap(page, STORY, "01-point-drop-off");
    await page.getByRole("button", { name: "Record" }).click();
    await expect.poll(() => page.getByText("Recorded: 8,000 g PET, 20 OCP.").isVisible()).toBe(true);
    const status = statusOf(page, "Today's drop-offs");
    await expect.poll(() => status.getAttribute("data-status"), CONFIRM).toBe("confirmed");
    // In a word on its line; its block in the details a tap opens.
    expect(await status.textContent()).toBe("Credited");
    expect(await page.getByRole("list", { name: "Today's drop-offs" }).locator(".day-details").first().textContent()).toMatch(/block \d+/);
    await snap(page, STORY, "02-point-confirmed");
    expect(await web.stack.chain.token(program.token).balanceOf(collector.address)).toBe(tokens("20"));
    expect(pageErrors(page)).toEqual([]);
  });

  it("a drop-off whose answer was lost is kept on the phone and sent again by itself, recorded once", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/point");
    await signIn(page, point.key);
    // The request reaches the API; its answer never reaches the phone.
    let lost = 0;
    await page.route("**/v1/collections", async (route) => {
      if (route.request().method() !== "POST" || lost++ > 0) return route.fallback();
      await route.fetch();
      await route.abort("connectionreset");
    });
    // As at the counter: the program loaded, the collector taken and the estimate shown before Record is tapped.
    await expect.poll(() => page.getByLabel("Program").inputValue(), ANSWER).toBe(String(program.id));
    await page.getByLabel("Collector's wallet", { exact: true }).fill(collector.address);
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByText("Collector:").isVisible()).toBe(true);
    await page.getByRole("button", { name: "HDPE" }).click();
    await page.getByLabel("Weight in grams").fill("1500");
    await expect.poll(() => page.getByText("About 3 OCP").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Record" }).click();
    await expect.poll(() => page.getByText("Kept on this phone: 1,500 g HDPE.").isVisible(), ANSWER).toBe(true);
    await snap(page, STORY, "03-point-answer-lost");
    // Sent again with the same Idempotency-Key by the outbox's timer: the API replays its first answer.
    await expect.poll(() => statusOf(page, "Today's drop-offs", 0).getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(lost).toBe(2);
    expect(await page.getByRole("list", { name: "Today's drop-offs" }).getByRole("status").count()).toBe(2);
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const day = await point.api.get(`/v1/collections?programId=${program.id}&since=${since}&limit=10`);
    expect(day.body.map((e: { grams: number }) => e.grams)).toEqual([1500, 8000]);
    expect(await web.stack.chain.token(program.token).balanceOf(collector.address)).toBe(tokens("23"));
    expect(pageErrors(page)).toEqual([]);
  });

  it("the retailer takes a voucher from a photo and another pasted, then redeems part of its balance", async () => {
    const photo = await voucherPhoto(await offlineVoucher("6"));
    const pasted = await offlineVoucher("4");
    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/retailer");
    await signIn(page, retailer.key);
    await importShopWallet(page);
    await snap(page, STORY, "04-retailer-receive");
    // A voucher paying another shop is refused in the page, before it is sent.
    await page.getByLabel("Voucher", { exact: true }).fill(await offlineVoucher("1", Wallet.createRandom().address));
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("This voucher pays another shop");


    await page.getByLabel("Voucher: From a photo").setInputFiles({ name: "voucher.png", mimeType: "image/png", buffer: photo });
    await snap(page, STORY, "05-retailer-photo-sent");
    await expect.poll(() => statusOf(page, "Vouchers taken").getAttribute("data-status"), CONFIRM).toBe("confirmed");
    await page.getByLabel("Voucher", { exact: true }).fill(pasted);
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByRole("list", { name: "Vouchers taken" }).getByRole("status").count()).toBe(2);
    await expect.poll(() => statusOf(page, "Vouchers taken", 0).getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(await statusOf(page, "Vouchers taken", 1).getAttribute("data-status")).toBe("confirmed");
    expect(await web.stack.chain.token(program.token).balanceOf(retailer.wallet.address)).toBe(tokens("10"));
    // The same voucher again is refused, and said so.
    await page.getByLabel("Voucher", { exact: true }).fill(pasted);
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("This voucher was already taken.");
    await expect.poll(() => page.getByRole("list", { name: "Balances" }).textContent(), CONFIRM).toContain("10 OCP");
    await snap(page, STORY, "06-retailer-vouchers");

    await page.getByRole("tab", { name: "Redeem" }).click();
    await page.getByLabel("Amount to redeem (OCP)").fill("7");
    await expect.poll(() => page.getByText("About 3.5 tUSD before the fee").isVisible()).toBe(true);
    await snap(page, STORY, "07-retailer-redeem");
    const before = await stablecoin(web.stack).balanceOf(retailer.wallet.address);
    await page.getByRole("button", { name: "Redeem", exact: true }).click();
    const payout = page.getByRole("tabpanel").getByRole("status").last();
    await expect.poll(() => payout.getAttribute("data-status"), CONFIRM).toBe("confirmed");
    const figures = page.getByRole("definition");
    await expect.poll(() => figures.count()).toBe(3);
    const [gross, fee, net] = (await figures.allTextContents()).map((text) => text.replace(" tUSD", ""));
    expect(gross).toBe("3.5");
    expect(tusd(net!) + tusd(fee!)).toBe(tusd(gross!));
    expect(await stablecoin(web.stack).balanceOf(retailer.wallet.address)).toBe(before + tusd(net!));
    expect(await web.stack.chain.token(program.token).balanceOf(retailer.wallet.address)).toBe(tokens("3"));
    await expect.poll(() => page.getByRole("list", { name: "Paid from sponsors' deposits" }).getByRole("listitem").count()).toBeGreaterThan(0);
    await snap(page, STORY, "08-retailer-payout");

    await page.getByRole("tab", { name: "History" }).click();
    await expect.poll(() => statusOf(page, "Payouts").getAttribute("data-status")).toBe("confirmed");
    await expect.poll(() => page.getByRole("list", { name: "Payments received" }).getByRole("status").count()).toBe(2);
    await expect.poll(() => page.getByRole("list", { name: "Balances" }).textContent(), CONFIRM).toContain("3 OCP");
    await snap(page, STORY, "09-retailer-history");
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByRole("tab", { name: "Riwayat" }).isVisible()).toBe(true);
    await snap(page, STORY, "10-retailer-history-id");
    expect(pageErrors(page)).toEqual([]);
  });

  it("a redemption whose answer was lost is made once when the retailer taps Redeem again", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/retailer");
    await signIn(page, retailer.key);
    await importShopWallet(page);
    // The request reaches the API and is stored; its answer never reaches the phone.
    let posts = 0;
    await page.route("**/v1/redemptions", async (route) => {
      if (route.request().method() !== "POST" || posts++ > 0) return route.fallback();
      await route.fetch();
      await route.abort("connectionreset");
    });
    const redemptionsOf = async () =>
      (await web.stack.sql`select count(*)::int as n from redemptions where retailer_id = ${retailer.id}`)[0]!.n as number;
    const [rowsBefore, before] = [await redemptionsOf(), await stablecoin(web.stack).balanceOf(retailer.wallet.address)];
    await page.getByRole("tab", { name: "Redeem" }).click();
    await page.getByLabel("Amount to redeem (OCP)").fill("2");
    await page.getByRole("button", { name: "Redeem", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("It will not be redeemed twice.");
    // Paid before the shop taps again: a permit signed anew now would be for the next nonce, a second payout.
    await expect.poll(() => web.stack.chain.token(program.token).balanceOf(retailer.wallet.address), CONFIRM).toBe(tokens("1"));
    await page.getByRole("button", { name: "Redeem", exact: true }).click();
    const payout = page.getByRole("tabpanel").getByRole("status").last();
    await expect.poll(() => payout.getAttribute("data-status"), CONFIRM).toBe("confirmed");
    const figures = page.getByRole("definition");
    await expect.poll(() => figures.count()).toBe(3);
    const [gross, , net] = (await figures.allTextContents()).map((text) => text.replace(" tUSD", ""));
    expect(gross).toBe("1");
    expect(posts).toBe(2);
    expect(await redemptionsOf()).toBe(rowsBefore + 1);
    const [stored] = await web.stack.sql`select id from redemptions where retailer_id = ${retailer.id} order by id desc limit 1`;
    expect(await page.getByRole("heading", { name: `Payout #${stored!.id}` }).count()).toBe(1);
    expect(await stablecoin(web.stack).balanceOf(retailer.wallet.address)).toBe(before + tusd(net!));
    expect(await web.stack.chain.token(program.token).balanceOf(retailer.wallet.address)).toBe(tokens("1"));
    expect(pageErrors(page)).toEqual([]);
  });

  it("a shop whose phone's clock is two hours behind redeems all the same: the permit's deadline counts from the chain's", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await page.clock.install({ time: new Date(Date.now() - 2 * 3600_000) });
    await page.goto("/#/retailer");
    await signIn(page, retailer.key);
    await importShopWallet(page);
    await page.getByRole("tab", { name: "Redeem" }).click();
    await page.getByLabel("Amount to redeem (OCP)").fill("1");
    await page.getByRole("button", { name: "Redeem", exact: true }).click();
    const payout = page.getByRole("tabpanel").getByRole("status").last();
    await expect.poll(() => payout.getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(await web.stack.chain.token(program.token).balanceOf(retailer.wallet.address)).toBe(0n);
    expect(pageErrors(page)).toEqual([]);
  });

  it("a phone whose wallet is not the shop's is told so", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/retailer");
    await signIn(page, retailer.key);
    // A shop's phone opens on the import form: this one makes a new wallet instead.
    await page.getByRole("button", { name: "Create a wallet" }).click();
    await createWallet(page, "246810");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The wallet on this phone is not the shop's");
    expect(await page.getByText(retailer.wallet.address).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Redeem", exact: true }).count()).toBe(0);
    await snap(page, STORY, "11-retailer-wrong-wallet");
    expect(pageErrors(page)).toEqual([]);
  });
});
