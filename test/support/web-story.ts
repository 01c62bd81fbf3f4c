import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser.js";
import { startWebStack, type WebStack } from "./web-stack.js";

/** A browser test file's stack and Chromium, once its beforeAll has started them. */
export interface WebStory {
  readonly stack: WebStack;
  readonly browser: Browser;
}

/**
 * Starts a stack with the web app (test/support/web-stack.ts) and Chromium together before a file's tests and
 * closes both after them. `scene`, if given, runs next in the same hook, within the same `setupMs` (a deployment,
 * three workers and what the file sets up on them, on a loaded machine). A file's own afterAll runs before these
 * close: Vitest unwinds after-hooks in the reverse of their order.
 */
export function useWebStory(scene?: (story: WebStory) => Promise<void>, setupMs = 120_000): WebStory {
  let stack: WebStack | undefined;
  let browser: Browser | undefined;
  const story: WebStory = {
    get stack() {
      if (!stack) throw new Error("the web stack is not started: read it in a test or a hook");
      return stack;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not launched: read it in a test or a hook");
      return browser;
    },
  };
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startWebStack(), launchBrowser()]);
    await scene?.(story);
  }, setupMs);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  return story;
}
