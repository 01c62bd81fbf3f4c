import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, pageErrors, phone, snap } from "../support/browser.js";
import { signIn } from "../support/web-steps.js";
import { recyclingScene } from "../support/earn-fixtures.js";
import { fakeCamera, type FakeCamera } from "../support/fake-camera.js";
import { tokens } from "../support/redemption-fixtures.js";
import { startWebStack, type WebStack } from "../support/web-stack.js";

const STORY = "camera";
const CONFIRM = { timeout: 30_000, interval: 250 };
let stack: WebStack;
let browser: Browser;
let camera: FakeCamera;
let scene: Awaited<ReturnType<typeof recyclingScene>>;

/**
 * Watches the page's camera: every stream it hands the page (to ask later whether its tracks were stopped) and, each
 * time a video frame is drawn to read it, how the video element looked (on a phone a hidden, paused or
 * not-inline video gives no frames). `cameraDelayMs` holds getUserMedia back, like a permission prompt;
 * `cameraHold` keeps the page from reading frames (the code not yet in front of the lens).
 */
const WATCH_CAMERA = `{
  const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  window.cameraStreams = [];
  window.cameraFrames = [];
  window.cameraDelayMs = 0;
  window.cameraHold = false;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await open(constraints);
    await new Promise((resolve) => setTimeout(resolve, window.cameraDelayMs));
    window.cameraStreams.push(stream);
    return stream;
  };
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (source, ...rest) {
    if (source instanceof HTMLVideoElement) {
      if (window.cameraHold) return;
      const box = source.getBoundingClientRect();
      window.cameraFrames.push({ width: Math.round(box.width), height: Math.round(box.height), inline: source.hasAttribute("playsinline"), paused: source.paused, videoWidth: source.videoWidth });
    }
    return draw.call(this, source, ...rest);
  };
}`;
const tracksOf = (page: Page) =>
  page.evaluate<{ label: string; state: string }[]>(
    "window.cameraStreams.flatMap((stream) => stream.getTracks().map((track) => ({ label: track.label, state: track.readyState })))",
  );

beforeAll(async () => {
  stack = await startWebStack();
  scene = await recyclingScene(stack);
  // The collector's phone shows `ethereum:<address>` (web/src/collector/home.tsx); Chromium films it.
  camera = await fakeCamera(`ethereum:${scene.collector.address}`);
  browser = await launchBrowser({ args: camera.args });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (camera) await rm(dirname(camera.file), { recursive: true, force: true });
});

async function signedIn(page: Page) {
  await page.addInitScript(WATCH_CAMERA);
  await page.goto("/#/point");
  await signIn(page, scene.point.key);
  await expect.poll(() => page.getByLabel("Program").inputValue()).toBe(String(scene.program.id));
}

describe("the point's camera", () => {
  it("reads the collector's code from the camera, stops the camera, and the drop-off is minted", async () => {
    // No grantPermissions: --use-fake-ui-for-media-stream accepts the camera prompt, as a person would.
    const { page } = await phone(browser, stack.url);
    await signedIn(page);
    await snap(page, STORY, "01-point-before-scan");

    await page.evaluate("window.cameraHold = true");
    await page.getByRole("button", { name: "Use the camera" }).click();
    const live = page.locator("video");
    await expect.poll(() => live.evaluate((video) => (video as unknown as { videoWidth: number }).videoWidth), { timeout: 5_000 }).toBe(640);
    expect(await live.isVisible()).toBe(true);
    await snap(page, STORY, "02-point-camera-live");
    const started = Date.now();
    await page.evaluate("window.cameraHold = false");
    const picked = page.getByText("Collector:");
    await expect.poll(() => picked.isVisible(), { timeout: 10_000, interval: 100 }).toBe(true);
    const readMs = Date.now() - started;
    expect(await page.locator(".picked code").getAttribute("title")).toBe(scene.collector.address);
    expect(await page.locator(".picked").textContent()).toContain("Sari");
    // The frames came from the fake camera's file, and the camera is off once the code is read.
    expect(await tracksOf(page)).toEqual([{ label: camera.file, state: "ended" }]);
    // It was read from a video on screen, playing inline, at the camera's size.
    const frames = await page.evaluate<{ width: number; height: number; inline: boolean; paused: boolean; videoWidth: number }[]>("window.cameraFrames");
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatchObject({ inline: true, paused: false, videoWidth: 640 });
    expect(frames[0]!.width).toBeGreaterThan(200);
    expect(frames[0]!.height).toBeGreaterThan(100);
    expect(await page.locator("video").count()).toBe(0);
    await snap(page, STORY, "03-point-collector-read");
    console.log(`camera: the code was read ${readMs} ms after it was in front of the lens`);

    await page.getByRole("button", { name: "PET" }).click();
    await page.getByLabel("Weight in grams").fill("4000");
    await expect.poll(() => page.getByText("About 10 OCP").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Record" }).click();
    await expect.poll(() => page.getByText("Recorded: 4,000 g PET, 10 OCP.").isVisible()).toBe(true);
    const status = page.getByRole("list", { name: "Today's drop-offs" }).getByRole("status").first();
    await expect.poll(() => status.getAttribute("data-status"), CONFIRM).toBe("confirmed");
    // In a word on its line; its block in the details a tap opens.
    expect(await status.textContent()).toBe("Credited");
    expect(await page.getByRole("list", { name: "Today's drop-offs" }).locator(".day-details").first().textContent()).toMatch(/block \d+/);
    await snap(page, STORY, "04-point-confirmed");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(tokens("10"));
    expect(pageErrors(page)).toEqual([]);
  });

  it("closed before it opens (the permission prompt still up), the camera is turned off when it comes", async () => {
    const { page } = await phone(browser, stack.url);
    await signedIn(page);
    await page.evaluate("window.cameraDelayMs = 1000");
    const toggle = page.getByRole("button", { name: "Use the camera" });
    await toggle.click();
    await toggle.click();
    // The stream reaches a scanner that is gone: it must be stopped there and then, not left filming.
    await expect.poll(() => page.evaluate<number>("window.cameraStreams.length"), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => tracksOf(page), { timeout: 2_000 }).toEqual([{ label: camera.file, state: "ended" }]);
    expect(await page.evaluate<number>("window.cameraFrames.length")).toBe(0);
    expect(await page.locator(".scanner .problem").count()).toBe(0);
    expect(await page.getByText("Collector:").count()).toBe(0);
    await snap(page, STORY, "05-point-camera-closed");
    expect(pageErrors(page)).toEqual([]);
  });

  it("says so when the camera is not allowed, and the photo and typed ways still work", async () => {
    // A camera exists, but nothing grants the page's request: Chromium refuses it as a person would.
    const refusing = await launchBrowser({ args: ["--use-fake-device-for-media-stream"] });
    try {
      const { page } = await phone(refusing, stack.url);
      await page.goto("/#/point");
      await signIn(page, scene.point.key);
      await page.getByRole("button", { name: "Use the camera" }).click();
      await expect.poll(() => page.locator(".scanner .problem").textContent()).toContain("The camera is not allowed for this page");
      await snap(page, STORY, "06-point-camera-refused");
      await page.getByLabel("Collector's wallet", { exact: true }).fill(scene.collector.address);
      await page.getByRole("button", { name: "Use", exact: true }).click();
      await expect.poll(() => page.getByText("Collector:").isVisible()).toBe(true);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await refusing.close();
    }
  });
});
