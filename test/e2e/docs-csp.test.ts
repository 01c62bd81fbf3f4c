import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  base = await stack.app.listen({ port: 0, host: "127.0.0.1" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it("renders Swagger UI at /docs under its Content-Security-Policy, with nothing blocked", async () => {
  const page = await browser.newPage();
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  page.on("pageerror", (error) => blocked.push(String(error)));
  const reply = await page.goto(`${base}/docs`);
  expect(reply?.headers()["content-security-policy"]).toContain("default-src 'self'");
  await expect.poll(() => page.locator(".swagger-ui .info .title").textContent(), { timeout: 15_000 }).toContain("recircle API");
  await expect.poll(() => page.locator(".opblock").count(), { timeout: 15_000 }).toBeGreaterThan(10);
  expect(blocked).toEqual([]);
}, 60_000);
