import { type HDNodeWallet, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../services/core/account-signers.js";
import { CollectorAccount__factory } from "../../types/ethers-contracts/index.js";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, idempotencyKey } from "../support/earn-fixtures.js";
import { tokens } from "../support/redemption-fixtures.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

const STORY = "second-passkey";
const CONFIRM = { timeout: 30_000, interval: 250 };
const ANSWER = { timeout: 10_000 };
let stack: WebStack;
let browser: Browser;
let program: { id: number; name: string; token: string };
let point: Awaited<ReturnType<typeof admit>>;
let shop: HDNodeWallet;
let first: Page;
let second: Page;
let account: string;
let recoveryWords: string[];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
  const admin = client(stack.app, stack.adminKey);
  const created = await admin.post("/v1/programs", { name: "Ocean Plastic", symbol: "OCP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5" } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  program = created.body;
  point = await admit(stack, "collection_point", "Point Ketapang");
  shop = Wallet.createRandom();
  const retailer = await admit(stack, "retailer", "Warung Bu Tini", shop.address);
  for (const member of [point, retailer]) expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: member.id })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A phone of its own (a browser context) with Chromium's virtual platform authenticator, which always verifies. */
async function phoneWithScreenLock() {
  const opened = await phone(browser, stack.url.replace("127.0.0.1", "localhost"));
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return opened.page;
}

async function checkScreen(page: Page) {
  expect(await page.locator("body").innerText()).not.toMatch(/RC_[A-Z]/);
  expect(pageErrors(page)).toEqual([]);
}

describe("a second phone added to a passkey wallet", () => {
  it("starts from a first phone's wallet, credited before its account exists", async () => {
    first = await phoneWithScreenLock();
    await first.goto("/#/collector");
    await first.getByLabel("I understand: losing this phone loses this wallet").check();
    await first.getByRole("button", { name: "Use the screen lock" }).click();
    await first.getByRole("button", { name: "Open with the screen lock" }).click();
    account = (await first.getByTestId("collector-address").textContent())!;
    expect(account).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect((await point.api.post("/v1/collectors", { address: account })).status).toBe(201);
    const drop = await point.api.post("/v1/collections", { programId: program.id, collector: account, material: "PET", grams: 4000 }, idempotencyKey());
    expect(drop.status, JSON.stringify(drop.body)).toBe(202);
    await expect.poll(() => first.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("10");
  });

  it("makes a passkey on the second phone, which the first adds with its screen lock", async () => {
    second = await phoneWithScreenLock();
    await second.goto("/#/collector");
    await second.getByRole("button", { name: "Make a passkey on this phone" }).click();
    const key = (await second.getByTestId("joining-key").textContent())!;
    expect(key).toMatch(/^0x[0-9a-f]{128}$/);
    // Asked before it is added: not found yet, said plainly.
    await second.getByRole("button", { name: "Find my wallet" }).click();
    await second.getByText("The other phone has not added this phone yet.").waitFor();
    await snap(second, STORY, "01-second-phone-key");

    // The first phone reads the key from a photo of the second phone's screen (a typo is refused first).
    await first.getByLabel("The other phone's key", { exact: true }).fill(key.slice(0, -2));
    await first.getByRole("button", { name: "Use", exact: true }).click();
    await first.getByText("That is not a phone's key").waitFor();
    const photo = await second.getByRole("img", { name: "This phone's key" }).screenshot();
    await first.getByLabel("The other phone's key: From a photo").setInputFiles({ name: "key.png", mimeType: "image/png", buffer: photo });
    await first.getByText("Added: the other phone can now open this wallet.").waitFor(ANSWER);
    // Adding created the account (the factory, in the same transaction) and the key signs for it.
    expect(await stack.chain.provider.getCode(account)).not.toBe("0x");
    expect(await CollectorAccount__factory.connect(account, stack.chain.provider).isSigner(key)).toBe(true);
    await snap(first, STORY, "02-added");
    await checkScreen(first);
  });

  it("opens the same wallet on the second phone and pays a shop with its passkey", async () => {
    await second.getByRole("button", { name: "Find my wallet" }).click();
    await second.getByRole("button", { name: "Open with the screen lock" }).click();
    await expect.poll(() => second.getByTestId("collector-address").textContent(), ANSWER).toBe(account);
    await expect.poll(() => second.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("10");

    await second.getByRole("link", { name: "Pay" }).click();
    await second.getByLabel("Shop's code", { exact: true }).fill(shop.address);
    await second.getByRole("button", { name: "Use", exact: true }).click();
    await expect.poll(() => second.getByTestId("payee-name").textContent(), ANSWER).toBe("Warung Bu Tini");
    await second.getByLabel("Amount (OCP)").fill("3");
    await second.getByRole("button", { name: "Next" }).click();
    await second.getByRole("button", { name: "Yes, pay" }).click();
    await second.getByRole("button", { name: "Send now" }).waitFor();
    // A voucher's reader finds the account from the first passkey's key: an added phone pays online.
    expect(await second.getByRole("button", { name: "Show as offline voucher" }).count()).toBe(0);
    await second.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => second.getByRole("status").last().getAttribute("data-status"), CONFIRM).toBe("confirmed");
    const token = stack.chain.token(program.token);
    expect(await token.balanceOf(shop.address)).toBe(tokens("3"));
    expect(await token.balanceOf(account)).toBe(tokens("7"));
    await snap(second, STORY, "03-paid-from-second-phone");
    await checkScreen(second);
  });

  it("adds a recovery phrase from the first phone: 12 words made there, two asked back, its address a signer", async () => {
    await first.getByRole("link", { name: "Wallet" }).click();
    await first.getByRole("button", { name: "Make a recovery phrase" }).click();
    const words = (await first.getByRole("list", { name: "Write these 12 words down" }).locator("li").allTextContents()).map((w) => w.trim());
    expect(words).toHaveLength(12);
    await snap(first, STORY, "04-recovery-words");
    await first.getByRole("button", { name: "I wrote them down" }).click();
    for (const field of await first.getByLabel(/^Word \d+$/).all()) {
      const n = Number((await field.evaluate((input) => input.parentElement!.textContent)).match(/Word (\d+)/)![1]);
      await field.fill(words[n - 1]!);
    }
    await first.getByRole("button", { name: "Continue" }).click();
    await first.getByText("Added: your 12 words can now sign for this wallet.").waitFor(ANSWER);
    recoveryWords = words;
    const recovery = Wallet.fromPhrase(words.join(" "));
    expect(await CollectorAccount__factory.connect(account, stack.chain.provider).isSigner(keySigner(recovery.address))).toBe(true);
    await checkScreen(first);
  });

  it("brings the wallet to a third phone with the recovery phrase alone, and opens it there", async () => {
    const third = await phoneWithScreenLock();
    await third.goto("/#/collector");
    const words = third.getByLabel("Recovery phrase (12 words)");
    await words.fill(Wallet.createRandom().mnemonic!.phrase);
    await third.getByRole("button", { name: "Bring the wallet to this phone" }).click();
    await third.getByText("No wallet has this recovery phrase.").waitFor(ANSWER);
    await words.fill(recoveryWords.join(" "));
    await third.getByRole("button", { name: "Bring the wallet to this phone" }).click();
    await third.getByRole("button", { name: "Open with the screen lock" }).click();
    await expect.poll(() => third.getByTestId("collector-address").textContent(), ANSWER).toBe(account);
    await expect.poll(() => third.getByRole("list", { name: "Your tokens" }).textContent(), CONFIRM).toContain("7");
    expect(await CollectorAccount__factory.connect(account, stack.chain.provider).signerNonce()).toBe(3n);
    await snap(third, STORY, "05-recovered-on-third-phone");
    await checkScreen(third);
  });
});
