import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium; Playwright's own browsers are a download this machine cannot make. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Without the background-networking flags Chromium hangs on a closed network, reaching for Google's hosts. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
export const SCREENSHOTS = new URL("../../test-results/", import.meta.url).pathname;

/** `args` adds Chromium flags to the usual ones (a fake camera, say: test/support/fake-camera.ts). */
export const launchBrowser = (options: { args?: string[] } = {}): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...(options.args ?? [])], headless: true });

/**
 * A phone: 360 × 740 CSS pixels (a common cheap Android screen), touch, its own storage (IndexedDB,
 * localStorage), as if each person held their own device. English unless `locale` says otherwise; in the
 * machine's time zone unless `timezoneId` sets the phone's own.
 */
export async function phone(browser: Browser, baseURL: string, locale = "en-US", timezoneId?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    ...(timezoneId ? { timezoneId } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  (page as Page & { problems: string[] }).problems = problems;
  return { context, page };
}

/** Errors the page threw (uncaught): a test asserts there were none. */
export const pageErrors = (page: Page) => (page as Page & { problems?: string[] }).problems ?? [];

/**
 * A full-page screenshot under test-results/<story>/<nn>-<step>.png, to look at after the run. It also
 * refuses a page wider than the phone: sideways scrolling of the whole page is a layout bug (a table may
 * scroll inside its own box).
 */
export async function snap(page: Page, story: string, step: string): Promise<string> {
  // A string, evaluated in the page: this file is type-checked without the DOM's types.
  const { wide, viewport } = await page.evaluate<{ wide: number; viewport: number }>(
    "({ wide: document.documentElement.scrollWidth, viewport: window.innerWidth })",
  );
  if (wide > viewport) throw new Error(`${story}/${step}: the page is ${wide} px wide on a ${viewport} px screen`);
  const folder = join(SCREENSHOTS, story);
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${step}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
