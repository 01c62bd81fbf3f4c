import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The built app (npm test builds web/dist first, as the browser tests need).
const DIST = process.env.WEB_DIST ?? new URL("../../web/dist", import.meta.url).pathname;

/** The precache list Workbox wrote into the built worker (web/src/sw.ts's self.__WB_MANIFEST), as JSON. */
function precached(): { url: string; revision: string | null }[] {
  const worker = readFileSync(`${DIST}/sw.js`, "utf8");
  const list = /\[\{"revision":.*?\}\]/.exec(worker);
  if (!list) throw new Error("no precache list in the built sw.js");
  return JSON.parse(list[0]) as { url: string; revision: string | null }[];
}

describe("the service worker's precache list", () => {
  it("names every file the build wrote, and only those: the app opens offline, and one missing file fails the install", () => {
    const written = readdirSync(DIST, { recursive: true, encoding: "utf8" })
      .filter((file) => statSync(`${DIST}/${file}`).isFile() && file !== "sw.js");
    expect(precached().map((entry) => entry.url).sort()).toEqual(written.sort());
  });

  it("gives every file a revision, by its content or by its hashed name, so a new release replaces exactly what changed", () => {
    for (const { url, revision } of precached()) {
      if (url.startsWith("assets/")) expect(revision, url).toBeNull();
      else expect(revision, url).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(precached().map((entry) => entry.url)).toEqual(expect.arrayContaining(["index.html", "manifest.webmanifest", "icons/icon-192.png", "icons/icon-512.png"]));
  });
});
