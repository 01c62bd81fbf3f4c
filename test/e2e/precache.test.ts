import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The built app (npm test builds web/dist first, as the browser tests need).
const DIST = process.env.WEB_DIST ?? new URL("../../web/dist", import.meta.url).pathname;

describe("the service worker's precache list", () => {
  it("names only files the build wrote: one missing file fails the worker's install and the app offline", () => {
    const listed = JSON.parse(readFileSync(`${DIST}/precache.json`, "utf8")) as string[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((file) => !existsSync(`${DIST}${file}`))).toEqual([]);
  });
});
