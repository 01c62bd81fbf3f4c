import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";

/**
 * The phone-first web app (web/, built by Vite into WEB_DIST) at `/`. One route per built file rather than a
 * catch-all, so an unknown path still gets the API's own 404. Without a build the API serves no pages.
 */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    if (!existsSync(join(config.webDist, "index.html"))) {
      app.log.warn({ webDist: config.webDist }, "no web app built (npx vite build): serving the API only");
      return;
    }
    const rpc = new URL(config.publicChainRpcUrl).origin;
    // Pages talk to us and to the chain's RPC, nothing else; keys live in the page, so no framing either.
    const policy = [
      "default-src 'self'",
      `connect-src 'self' ${rpc}`,
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    await app.register(fastifyStatic, {
      root: config.webDist,
      prefix: "/",
      wildcard: false,
      schemaHide: true,
      setHeaders(reply, path) {
        reply.header("content-security-policy", policy);
        reply.header("x-content-type-options", "nosniff");
        // Vite names built assets by content hash: they never change under a name.
        reply.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  },
  { name: "web" },
);
