/// <reference lib="webworker" />
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";

// The app's shell stays on the phone, so a collector without signal can still open the page, unlock the wallet
// and show a payment voucher, and a point can keep drop-offs. Only the app's own files are kept; API answers
// never are (the page keeps its own last copy of what it may show offline).
declare const self: ServiceWorkerGlobalScope;

/** The cache of the hand-written worker before this one: one name forever, never emptied. */
const RETIRED_CACHE = "recircle-shell";

// Every built file with its revision (Workbox fills the list in at build time). "/" is answered with the kept
// index.html, so a new release reaches the page only when the person takes it (web/src/ui/update-prompt.tsx),
// never half-loaded beside the old release's files.
precacheAndRoute(self.__WB_MANIFEST);
// Caches of older Workbox versions, and the hand-written worker's.
cleanupOutdatedCaches();
self.addEventListener("activate", (event) => event.waitUntil(caches.delete(RETIRED_CACHE)));

// The page's "Reload" asks the waiting worker to take over.
self.addEventListener("message", (event) => {
  if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});
// The first install takes the open page at once, so it works offline without a reload.
clientsClaim();
