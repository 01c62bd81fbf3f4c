import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build, type Plugin } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { startStack, type Stack } from "../support/stack.js";

const STORY = "app-update";
// The built app (npm test builds web/dist first, as the browser tests need): the release the phone has.
const DIST = process.env.WEB_DIST ?? new URL("../../web/dist", import.meta.url).pathname;
/** The worker before Workbox's, and its one cache. */
const HAND_WRITTEN_WORKER = new URL("../support/hand-written-sw.js", import.meta.url).pathname;
const RETIRED_CACHE = "recircle-shell";

let folders: { served: string; next: string };
let stack: Stack;
let base: string;
let browser: Browser;

/** The next release: the same app with one module changed, which it shows by marking the page. */
const nextRelease = (): Plugin => ({
  name: "test-next-release",
  transform: (code, id) => (id.endsWith("/web/src/main.tsx") ? `${code}\ndocument.documentElement.dataset.release = "next";\n` : null),
});

async function buildNextRelease(outDir: string) {
  // Vitest runs with NODE_ENV=test; a release is built as `npm run build:web` builds it.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    const configFile = new URL("../../web/vite.config.ts", import.meta.url).pathname;
    await build({ configFile, logLevel: "error", plugins: [nextRelease()], build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

type Release = "hand-written" | "first" | "next";

/**
 * What the server gives out: the first release, the next one, or the first under the hand-written worker (the
 * hashed files of both releases are on the server either way).
 */
async function serve(release: Release) {
  await cp(join(release === "next" ? folders.next : DIST, "index.html"), join(folders.served, "index.html"));
  await cp(release === "hand-written" ? HAND_WRITTEN_WORKER : join(release === "next" ? folders.next : DIST, "sw.js"), join(folders.served, "sw.js"));
}

beforeAll(async () => {
  const served = await mkdtemp(join(tmpdir(), "recircle-web-served-"));
  folders = { served, next: await mkdtemp(join(tmpdir(), "recircle-web-next-")) };
  await buildNextRelease(folders.next);
  // Both releases' hashed files side by side, as a deploy leaves them; index.html and sw.js say which is current.
  await cp(DIST, served, { recursive: true });
  await cp(join(folders.next, "assets"), join(served, "assets"), { recursive: true });
  // The list the hand-written worker kept: every built file of the first release.
  const built = (await readdir(DIST, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && entry.name !== "sw.js");
  const paths = built.map((entry) => `/${relative(DIST, join(entry.parentPath, entry.name))}`);
  await writeFile(join(served, "precache.json"), JSON.stringify(paths));
  [stack, browser] = await Promise.all([startStack({ runBatcher: false, env: { WEB_DIST: served } }), launchBrowser()]);
  base = await stack.app.listen({ host: "127.0.0.1", port: 0 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  for (const folder of Object.values(folders ?? {})) await rm(folder, { recursive: true, force: true });
});

/** Nothing a person reads names an internal code or says "Something went wrong", and nothing is wider than the phone. */
async function plainAndNarrow(page: Page) {
  expect(await page.locator("body").innerText()).not.toMatch(/RC_[A-Z_]+|Something went wrong/);
  const overflowing = await page.evaluate<string[]>(
    `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className)`,
  );
  expect(overflowing).toEqual([]);
}

const controlled = (page: Page) => page.evaluate<boolean>("navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)");
/** Every URL the worker's caches hold, by cache. */
const cached = (page: Page) =>
  page.evaluate<Record<string, string[]>>(`(async () => {
    const all = {};
    for (const name of await caches.keys()) all[name] = (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
    return all;
  })()`);
const mainScript = (page: Page) => page.evaluate<string>(`document.querySelector('script[type="module"]').getAttribute("src")`);

const ENGLISH = { locale: "en-US", prompt: "Update available", reload: "Reload" } as const;
const INDONESIAN = { locale: "id-ID", prompt: "Pembaruan tersedia", reload: "Muat ulang" } as const;
/** The phone's release before the update, and the screen it is on (the prompt stands above every screen). */
const CASES: { width: number; language: typeof ENGLISH | typeof INDONESIAN; from: Release; route: string }[] = [
  { width: 360, language: ENGLISH, from: "hand-written", route: "/" },
  { width: 390, language: ENGLISH, from: "first", route: "/#/point" },
  { width: 360, language: INDONESIAN, from: "first", route: "/" },
  { width: 390, language: INDONESIAN, from: "first", route: "/#/collector" },
];

describe("a new release of the app on a phone that keeps the old one", () => {
  it("is installable: a web manifest with its name, start, standalone display, colour and icons", async () => {
    await serve("first");
    const { context, page } = await phone(browser, base);
    await page.goto("/");
    await expect.poll(() => controlled(page)).toBe(true);
    const cdp = await context.newCDPSession(page);
    // Chromium's own verdict, every check run (debug mode): only the test's private browsing context is left,
    // which no phone has.
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((error) => error.errorId)).toEqual(["in-incognito"]);
    const manifest = await (await page.request.get("/manifest.webmanifest")).json();
    expect(manifest).toMatchObject({ name: "recircle", short_name: "recircle", start_url: "/", display: "standalone", theme_color: "#0f766e" });
    for (const icon of manifest.icons as { src: string; sizes: string }[]) {
      const image = await page.request.get(icon.src);
      expect(image.headers()["content-type"]).toBe("image/png");
      // A PNG's width and height, from its header.
      const body = await image.body();
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    await context.close();
  });

  for (const { width, language, from, route } of CASES) {
    const { locale, prompt, reload } = language;
    it(`offers it at ${width} px in ${locale} to a phone on the ${from} worker; taking it brings the new release and empties the old caches`, async () => {
      await serve(from);
      const { context, page } = await phone(browser, base, locale);
      await page.setViewportSize({ width, height: 800 });
      await page.goto(route);
      await expect.poll(() => controlled(page)).toBe(true);
      const first = await mainScript(page);
      await expect.poll(async () => Object.values(await cached(page)).flat()).toContain(first);
      // The first install is no update: nothing to offer.
      const offer = page.getByRole("status").filter({ hasText: prompt });
      expect(await offer.count()).toBe(0);

      // The next release reaches the server; the person opens the app again.
      await serve("next");
      await page.reload();
      await expect.poll(() => offer.isVisible(), { timeout: 20_000 }).toBe(true);
      // Until it is taken, the page is the release it started with. The hand-written worker always fetched the
      // page itself from the network, so there the new page asks to bring in its own worker.
      const release = () => page.evaluate<string | undefined>("document.documentElement.dataset.release");
      expect(await release()).toBe(from === "hand-written" ? "next" : undefined);
      await plainAndNarrow(page);
      await snap(page, STORY, `01-offered-${width}-${locale}-from-${from}`);

      await offer.getByRole("button", { name: reload }).click();
      await expect.poll(release).toBe("next");
      await expect.poll(() => offer.count()).toBe(0);
      const next = await mainScript(page);
      expect(next).not.toBe(first);
      await plainAndNarrow(page);
      await snap(page, STORY, `02-updated-${width}-${locale}-from-${from}`);

      // The old release's files and the hand-written worker's cache are gone; the new release is kept whole.
      const caches = await cached(page);
      expect(Object.keys(caches)).not.toContain(RETIRED_CACHE);
      const kept = Object.values(caches).flat();
      expect(kept).not.toContain(first);
      expect(kept).toContain(next);
      expect(kept).toContain("/index.html");
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    });
  }
});
