import { createPrivateKey, createPublicKey } from "node:crypto";
import { type HDNodeWallet, Wallet, zeroPadValue } from "ethers";
import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CollectorAccountFactory__factory } from "../../types/ethers-contracts/index.js";
import { pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, grant, idempotencyKey, programWithPoint } from "../support/earn-fixtures.js";
import { importWallet, signIn } from "../support/web-steps.js";
import { tokens } from "../support/redemption-fixtures.js";
import { useWebStory } from "../support/web-story.js";

const STORY = "passkey-wallet";
const CONFIRM = { timeout: 30_000, interval: 250 };
const ANSWER = { timeout: 10_000 };
let program: { id: number; name: string; token: string };
let point: Awaited<ReturnType<typeof admit>>;
let shop: HDNodeWallet;
let retailer: Awaited<ReturnType<typeof admit>>;
let page: Page;
let authenticator: { cdp: CDPSession; authenticatorId: string };
let account: string;

const web = useWebStory(async ({ stack }) => {
  const ocean = { name: "Ocean Plastic", symbol: "OCP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5" } };
  ({ program, point } = await programWithPoint(stack, ocean, "Point Ketapang"));
  shop = Wallet.createRandom();
  retailer = await admit(stack, "retailer", "Warung Bu Tini", shop.address);
  await grant(stack, program.id, retailer.id);
});

/**
 * A phone with a platform authenticator: Chromium's virtual one (DevTools' WebAuthn domain), a passkey store
 * behind a screen lock that always verifies the person. WebAuthn takes a domain, not an IP, as its relying party:
 * the page is opened at localhost.
 */
async function phoneWithScreenLock() {
  const opened = await phone(web.browser, web.stack.url.replace("127.0.0.1", "localhost"));
  // The page's clock runs as the real one until a test moves it forward (a session's end).
  await opened.context.clock.install();
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page: opened.page, authenticator: { cdp, authenticatorId } };
}

/** The passkeys the phone holds, with the public key of each (the authenticator hands out the private key). */
async function passkeys(on = authenticator) {
  const { credentials } = await on.cdp.send("WebAuthn.getCredentials", { authenticatorId: on.authenticatorId });
  return credentials.map((credential) => {
    const privateKey = createPrivateKey({ key: Buffer.from(credential.privateKey, "base64"), format: "der", type: "pkcs8" });
    const jwk = createPublicKey(privateKey).export({ format: "jwk" });
    const coordinate = (value: string | undefined) => zeroPadValue(Buffer.from(value!, "base64url"), 32);
    return { qx: coordinate(jwk.x), qy: coordinate(jwk.y), signCount: credential.signCount };
  });
}

const code = (address: string) => web.stack.chain.provider.getCode(address);

/** Nothing wider than the screen, no RC_ codes, no uncaught errors. */
async function checkScreen() {
  const wide = await page.evaluate<string[]>(
    `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className)`,
  );
  expect(wide).toEqual([]);
  expect(await page.locator("body").innerText()).not.toMatch(/RC_[A-Z]/);
  expect(pageErrors(page)).toEqual([]);
}

/**
 * The collector's phone, its connection off, signs a payment of `amount` to the shop with one assertion and shows it
 * as a voucher: its text, and a photo of the QR code the app draws, taken off the collector's screen.
 */
async function offlineVoucher(on: Page, screenLock: typeof authenticator, amount: string, shot: string): Promise<Buffer> {
  await on.getByRole("link", { name: "Pay" }).click();
  await on.getByLabel("Shop's code", { exact: true }).fill(shop.address);
  await on.getByRole("button", { name: "Use", exact: true }).click();
  await expect.poll(() => on.getByTestId("payee-name").textContent(), ANSWER).toBe("Warung Bu Tini");
  await on.getByLabel("Amount (OCP)").fill(amount);
  await on.getByRole("button", { name: "Next" }).click();
  const before = (await passkeys(screenLock))[0]!.signCount;
  await on.context().setOffline(true);
  await on.getByRole("button", { name: "Yes, pay" }).click();
  await on.getByRole("button", { name: "Show as offline voucher" }).click();
  const qr = on.getByRole("img", { name: "Offline voucher" });
  const voucher = (await qr.getAttribute("data-qr-text"))!;
  expect(voucher).toMatch(/^recircle:v2:[A-Za-z0-9_-]+$/);
  expect((await passkeys(screenLock))[0]!.signCount).toBe(before + 1);
  console.log(`passkey voucher from Chromium: ${voucher.length} characters`);
  const photo = await qr.screenshot({ type: "png" });
  await snap(on, STORY, shot);
  await on.context().setOffline(false);
  return photo;
}

/** The shop's phone takes a voucher from a photo, as at the till, and watches it settle. */
async function shopTakes(photo: Buffer) {
  const till = await phone(web.browser, web.stack.url);
  await till.page.goto("/#/retailer");
  await signIn(till.page, retailer.key);
  await importWallet(till.page, shop.mnemonic!.phrase, "135790");
  await till.page.getByLabel("Voucher: From a photo").setInputFiles({ name: "voucher.png", mimeType: "image/png", buffer: photo });
  const taken = till.page.getByRole("list", { name: "Vouchers taken" }).getByRole("status").first();
  await expect.poll(() => taken.getAttribute("data-status"), CONFIRM).toBe("confirmed");
  expect(pageErrors(till.page)).toEqual([]);
  await till.context.close();
}

describe("a collector's wallet behind the phone's screen lock", () => {
  it("is offered next to the phrase wallet, says what losing the phone means, and makes the factory's account", async () => {
    ({ page, authenticator } = await phoneWithScreenLock());
    await page.goto("/#/collector");
    await page.getByRole("heading", { name: "Create a wallet with this phone's screen lock" }).waitFor();
    expect(await page.getByText("If you lose this phone or reset it, you lose this wallet and its tokens.").isVisible()).toBe(true);
    // The phrase wallet stays the other choice.
    expect(await page.getByLabel("PIN (at least 6 digits)").isVisible()).toBe(true);
    const create = page.getByRole("button", { name: "Use the screen lock" });
    expect(await create.isDisabled()).toBe(true);
    await snap(page, STORY, "01-choice");
    await page.getByLabel("I understand: losing this phone loses this wallet").check();
    await create.click();

    await page.getByRole("heading", { name: "Your wallet on this phone" }).waitFor();
    const [passkey] = await passkeys();
    expect(passkey).toBeDefined();
    const factory = CollectorAccountFactory__factory.connect(web.stack.chain.deployment.contracts.collectorAccounts!, web.stack.chain.provider);
    account = await factory.accountAddress(passkey!.qx, passkey!.qy);
    expect(await page.locator("code").textContent()).toBe(account);

    // Opening signs in with the screen lock, before the account exists (its assertion wrapped as ERC-6492).
    await page.getByRole("button", { name: "Open with the screen lock" }).click();
    await expect.poll(() => page.getByTestId("collector-address").textContent(), ANSWER).toBe(account);
    expect((await passkeys())[0]!.signCount).toBeGreaterThan(passkey!.signCount);
    expect(await code(account)).toBe("0x");
    await checkScreen();
  });

  it("is credited at a point before its account exists", async () => {
    expect((await point.api.post("/v1/collectors", { address: account })).status).toBe(201);
    const drop = await point.api.post("/v1/collections", { programId: program.id, collector: account, material: "PET", grams: 4000 }, idempotencyKey());
    expect(drop.status, JSON.stringify(drop.body)).toBe(202);
    await expect.poll(() => page.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("10");
    expect(await code(account)).toBe("0x");
    await snap(page, STORY, "02-credited");
  });

  it("pays a shop online, the account created in the payment's batch", async () => {
    await page.getByRole("link", { name: "Pay" }).click();
    await page.getByLabel("Shop's code", { exact: true }).fill(shop.address);
    await page.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => page.getByTestId("payee-name").textContent(), ANSWER).toBe("Warung Bu Tini");
    await page.getByLabel("Amount (OCP)").fill("4");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Yes, pay" }).click();
    await page.getByRole("button", { name: "Send now" }).waitFor();
    // The one assertion can also go as an offline voucher.
    expect(await page.getByRole("button", { name: "Show as offline voucher" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => page.getByRole("status").last().getAttribute("data-status"), CONFIRM).toBe("confirmed");
    expect(await code(account)).not.toBe("0x");
    const token = web.stack.chain.token(program.token);
    expect(await token.balanceOf(shop.address)).toBe(tokens("4"));
    expect(await token.balanceOf(account)).toBe(tokens("6"));
    await snap(page, STORY, "03-paid");
    await page.getByRole("button", { name: "Done" }).click();
    await checkScreen();
  });

  it("pays a shop by an offline voucher, signed without a connection, that the shop reads from a photo", async () => {
    await offlineVoucher(page, authenticator, "2", "04-voucher").then(shopTakes);
    const token = web.stack.chain.token(program.token);
    expect(await token.balanceOf(shop.address)).toBe(tokens("6"));
    expect(await token.balanceOf(account)).toBe(tokens("4"));
    const [stored] = await web.stack.sql`select source from payments where payer = ${account} order by id desc limit 1`;
    expect(stored!.source).toBe("voucher");
    // The collector's phone lets go of the voucher once the chain has used it.
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => page.getByRole("list", { name: "Vouchers kept on this phone" }).count(), CONFIRM).toBe(0);
    await checkScreen();
  });

  it("signs in again after a reload, with the screen lock, now that the account exists", async () => {
    await page.reload();
    const before = (await passkeys())[0]!.signCount;
    await page.getByRole("button", { name: "Open with the screen lock" }).click();
    // The reload kept the Pay tab: the wallet opened on it, signed in.
    await page.getByRole("link", { name: "Wallet" }).click();
    await expect.poll(() => page.getByTestId("collector-address").textContent(), ANSWER).toBe(account);
    expect((await passkeys())[0]!.signCount).toBeGreaterThan(before);
    await expect.poll(() => page.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("4");
    await checkScreen();
  });

  it("closes before its 15-minute session ends, rather than ask for the screen lock unasked", async () => {
    // Locked by hand, then opened: a session that starts now.
    await page.getByRole("button", { name: "Lock the wallet" }).click();
    await page.getByRole("button", { name: "Open with the screen lock" }).click();
    await expect.poll(() => page.getByTestId("collector-address").textContent(), ANSWER).toBe(account);
    const before = (await passkeys())[0]!.signCount;
    // Past the wallet's close (1.5 minutes before the end), short of the minute before it a read would sign in.
    await page.clock.fastForward("13:40");
    await page.getByRole("button", { name: "Open with the screen lock" }).waitFor();
    expect((await passkeys())[0]!.signCount).toBe(before);
    expect(pageErrors(page)).toEqual([]);
  });

  it("pays by an offline voucher before its account exists: the API recovers the key, the voucher's batch creates the account", async () => {
    const second = await phoneWithScreenLock();
    await second.page.goto("/#/collector");
    await second.page.getByLabel("I understand: losing this phone loses this wallet").check();
    await second.page.getByRole("button", { name: "Use the screen lock" }).click();
    await second.page.getByRole("heading", { name: "Your wallet on this phone" }).waitFor();
    const address = (await second.page.locator("code").textContent())!;
    await second.page.getByRole("button", { name: "Open with the screen lock" }).click();
    await expect.poll(() => second.page.getByTestId("collector-address").textContent(), ANSWER).toBe(address);
    expect((await point.api.post("/v1/collectors", { address })).status).toBe(201);
    const drop = await point.api.post("/v1/collections", { programId: program.id, collector: address, material: "PET", grams: 2000 }, idempotencyKey());
    expect(drop.status, JSON.stringify(drop.body)).toBe(202);
    await expect.poll(() => second.page.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("5");
    expect(await code(address)).toBe("0x");

    await offlineVoucher(second.page, second.authenticator, "3", "05-voucher-new-account").then(shopTakes);
    expect(await code(address)).not.toBe("0x");
    const token = web.stack.chain.token(program.token);
    expect(await token.balanceOf(shop.address)).toBe(tokens("9"));
    expect(await token.balanceOf(address)).toBe(tokens("2"));
    expect(pageErrors(second.page)).toEqual([]);
  });
});
