import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { checkLogin, LOGIN_WINDOW_S } from "../../../core/collector-login.js";
import { badRequest, RecircleError } from "../../../core/errors.js";
import { errors } from "../../schemas/common.js";
import { LoginBody, Session } from "../../schemas/reads.js";

/** Collectors hold no API key: one EIP-712 signature from the phone's wallet buys a short read session. */
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
    async (request) => {
      const now = Math.floor(Date.now() / 1000);
      const { address, issuedAt, signature } = request.body;
      const check = checkLogin({ wallet: address, issuedAt, signature }, BigInt(app.chain.chainId), now);
      if (!check.ok && check.reason === "stale") {
        // The server's time lets a phone with a wrong clock sign again with a corrected issuedAt.
        throw badRequest("RC_LOGIN_STALE", `issuedAt must be within ${LOGIN_WINDOW_S} s of the server's clock`, { serverTime: now });
      }
      if (!check.ok) throw new RecircleError("RC_INVALID_SIGNATURE", 401, "the signature is not this wallet's login");
      return app.issueSession(check.wallet);
    },
  );
};

export default authRoutes;
