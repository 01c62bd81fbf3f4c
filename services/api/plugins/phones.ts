import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { RecircleError } from "../../core/errors.js";

declare module "fastify" {
  interface FastifyInstance {
    /** PHONE_SALT, the key of phone collectors' hashed numbers; 503 when this process has none. */
    phoneSalt(): string;
  }
}

/** Phone-only collectors (issue 5) need PHONE_SALT; without it only their routes answer 503. */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const salt = config.phoneSalt;
    // Not fatal, like SESSION_SECRET: everything else works without it, and `npm start` always provides one.
    if (!salt) app.log.warn("PHONE_SALT is unset: phone collectors' routes answer 503");
    app.decorate("phoneSalt", () => {
      if (!salt) throw new RecircleError("RC_PHONES_UNAVAILABLE", 503, "phone collectors are not configured here");
      return salt;
    });
  },
  { name: "phones" },
);
