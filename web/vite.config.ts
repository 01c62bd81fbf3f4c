import { defineConfig, type Plugin } from "vite";

/** Lists every built file in precache.json: the service worker (public/sw.js) keeps them all on the phone. */
const precacheList = (): Plugin => ({
  name: "recircle-precache-list",
  apply: "build",
  // After Vite's own generateBundle hooks: its CSS plugin drops the chunks left holding only CSS (counter.css
  // imported by the retailer's face makes one), and a list taken before that names a file that is never
  // written, which fails the service worker's install and with it the app offline.
  enforce: "post",
  generateBundle(_options, bundle) {
    const files = Object.keys(bundle).filter((name) => name !== "index.html").map((name) => `/${name}`);
    this.emitFile({ type: "asset", fileName: "precache.json", source: JSON.stringify(files.sort()) });
  },
});

// The web app: Preact through Vite's own JSX transform (no Babel), built into web/dist for the API to serve.
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  plugins: [precacheList()],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Cheap phones: one small entry, ethers split out so the first paint does not wait for it.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { "/v1": "http://127.0.0.1:3000" } },
});
