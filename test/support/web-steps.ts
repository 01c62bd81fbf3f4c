import type { Page } from "playwright-core";
import { expect } from "vitest";
import { phone } from "./browser.js";
import type { WebStory } from "./web-story.js";

/** What a person does on every member screen first: type the key the operator gave them, sign in. */
export async function signIn(page: Page, key: string) {
  await page.getByLabel("Your member key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A point's screen, signed in with the point's key, once it has chosen `programId` (the point's only program). */
export async function openPoint(page: Page, key: string, programId: number) {
  await page.goto("/#/point");
  await signIn(page, key);
  await expect.poll(() => page.getByLabel("Program").inputValue()).toBe(String(programId));
}

/** Whether the service worker (web/src/sw.ts) holds the app, so that it opens again without a connection. */
export const keptByServiceWorker = (page: Page) =>
  page.evaluate<boolean>("navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)");

/** A new phone takes an existing wallet from its written-down 12-word phrase, sealed under `pin`. */
export async function importWallet(page: Page, phrase: string, pin: string) {
  // A shop's phone opens on the import form; a collector's offers it as the second way in.
  await page.getByLabel("PIN (at least 6 digits)").waitFor();
  if ((await page.getByLabel("Backup phrase (12 words)").count()) === 0) await page.getByRole("button", { name: "I have a backup phrase" }).click();
  await page.getByLabel("Backup phrase (12 words)").fill(phrase);
  await page.getByLabel("PIN (at least 6 digits)").fill(pin);
  await page.getByLabel("PIN again").fill(pin);
  await page.getByRole("button", { name: "Import the wallet" }).click();
}

/**
 * A new wallet sealed under `pin`: its twelve words shown, then the two the screen asks back typed from them, as
 * a person reads them off their paper. Answers the twelve words.
 */
export async function createWallet(page: Page, pin: string): Promise<string[]> {
  await page.getByLabel("PIN (at least 6 digits)").fill(pin);
  await page.getByLabel("PIN again").fill(pin);
  await page.getByRole("button", { name: "Create a wallet" }).click();
  const list = page.getByRole("list", { name: "Write these 12 words down" }).getByRole("listitem");
  await list.nth(11).waitFor();
  const words = await list.allTextContents();
  await page.getByRole("button", { name: "I wrote them down" }).click();
  await answerTwoWords(page, words);
  return words;
}

/** The two words asked back ("Word 3", "Word 9"), answered from the phrase. */
export async function answerTwoWords(page: Page, words: string[]) {
  const asked = page.getByLabel(/^Word \d+$/);
  await asked.nth(1).waitFor();
  for (const input of await asked.all()) {
    const label = await input.evaluate((element) => element.closest("label")!.textContent!);
    await input.fill(words[Number(/\d+/.exec(label)![0]) - 1]!);
  }
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The operator's console on a phone of its own, signed in with the admin's key, open on `tab`. */
export async function operatorConsole(story: WebStory, tab: string): Promise<Page> {
  const { page } = await phone(story.browser, story.stack.url);
  await page.goto("/#/operator");
  await signIn(page, story.stack.adminKey);
  await page.getByRole("tab", { name: tab }).click();
  return page;
}
