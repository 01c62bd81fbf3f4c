// The service worker phones ran before Workbox's (web/public/sw.js until issue 14), as it was: the app-update test
// starts a phone on it, to see that phone move to the new worker and lose this one's cache.
// The app's shell stays on the phone, so a collector without signal can still open the page, unlock the
// wallet and show a payment voucher. Only the app's own files are kept; API answers never are (the page
// keeps its own last copy of what it may show offline).
const CACHE = "recircle-shell";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch("/precache.json", { cache: "no-cache" });
      const files = await response.json();
      await cache.addAll(["/", ...files]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/assets/")) {
    // Built assets are named by their content: a cached one is never stale.
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ??
          fetch(event.request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(event.request, response.clone());
            return response;
          }),
      ),
    );
  } else if (url.pathname === "/" || url.pathname === "/index.html") {
    // The page itself: the network's when there is one (a new release), the kept one otherwise.
    event.respondWith(
      fetch(event.request)
        .then(async (response) => {
          if (response.ok) await (await caches.open(CACHE)).put("/", response.clone());
          return response;
        })
        .catch(async () => (await caches.match("/")) ?? Response.error()),
    );
  }
});
