import type { Page } from "playwright-core";

/** What a person does on every member screen first: type the key the operator gave them, sign in. */
export async function signIn(page: Page, key: string) {
  await page.getByLabel("Your member key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A new phone takes an existing wallet from its written-down 12-word phrase, sealed under `pin`. */
export async function importWallet(page: Page, phrase: string, pin: string) {
  await page.getByRole("button", { name: "I have a backup phrase" }).click();
  await page.getByLabel("Backup phrase (12 words)").fill(phrase);
  await page.getByLabel("PIN (at least 6 digits)").fill(pin);
  await page.getByLabel("PIN again").fill(pin);
  await page.getByRole("button", { name: "Import the wallet" }).click();
}
