import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { appIconPng } from "./build/app-icon.js";

/** The icon sizes an installable app needs (Chromium asks for 192 and 512 px). */
const ICON_SIZES = [192, 512] as const;
const iconPath = (size: number) => `icons/icon-${size}.png`;

/** Draws the app's icons into the build (web/build/app-icon.ts). */
const appIcons = (): Plugin => ({
  name: "recircle-app-icons",
  apply: "build",
  generateBundle() {
    for (const size of ICON_SIZES) this.emitFile({ type: "asset", fileName: iconPath(size), source: appIconPng(size) });
  },
});

// The web app: Preact through Vite's own JSX transform (no Babel), built into web/dist for the API to serve.
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  plugins: [
    appIcons(),
    // The service worker (src/sw.ts) with Workbox's precache: every built file under its revision, files of an
    // old release evicted when the new one takes over, and the page asks before it does (registerType prompt).
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      registerType: "prompt",
      // Registered by the page itself (src/ui/update-prompt.tsx): no inline script, which the CSP refuses.
      injectRegister: false,
      injectManifest: {
        // Everything the build writes, the icons included (the shell must open offline); the plugin adds the
        // web manifest itself.
        globPatterns: ["**/*.{html,js,css,png}"],
        // Vite names these by their content: the name is the revision.
        dontCacheBustURLsMatching: /^assets\//,
      },
      manifest: {
        name: "recircle",
        short_name: "recircle",
        start_url: "/",
        scope: "/",
        display: "standalone",
        theme_color: "#0f766e",
        background_color: "#f6f8f7",
        icons: [
          ...ICON_SIZES.map((size) => ({ src: `/${iconPath(size)}`, sizes: `${size}x${size}`, type: "image/png", purpose: "any" })),
          { src: `/${iconPath(512)}`, sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
    }),
  ],
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
