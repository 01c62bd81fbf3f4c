import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { signInCollector } from "../../../flows/sign-in-collector.js";
import { errors } from "../../schemas/common.js";
import { LoginBody, Session } from "../../schemas/reads.js";

/**
 * Collectors hold no API key: one EIP-712 signature from the phone's wallet (a key, or a passkey account's
 * assertion) buys a short read session.
 */
const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/auth/collector",
    {
      schema: {
        summary: "Sign in with the wallet: a signed Login(wallet, issuedAt) gives a 15-minute read token",
        tags: ["auth"],
        body: LoginBody,
        response: { 200: Session, ...errors(400, 401, 413, 415, 503) },
      },
    },
    async (request) => app.issueSession(await signInCollector(app.chain, request.body, Math.floor(Date.now() / 1000))),
  );
};

export default authRoutes;
