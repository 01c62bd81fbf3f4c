import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { checkedAddress } from "../../../core/addresses.js";
import { signCreditStatement } from "../../../chain/credit-statement-signer.js";
import { creditScore } from "../../../core/credit-score.js";
import { creditStatement } from "../../../core/credit-statement.js";
import { forbidden } from "../../../core/errors.js";
import { creditLedger } from "../../../db/credit-history.js";
import { errors } from "../../schemas/common.js";
import { CreditReport } from "../../schemas/credit.js";
import { AddressParams } from "../../schemas/reads.js";

export const creditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/collectors/:address/credit",
    {
      onRequest: app.requireCollectorOrMember("admin"),
      schema: {
        summary: "A wallet's credit score with its factors, and a statement of it signed by the network (EIP-712)",
        description:
          "For the wallet's own session token (POST /v1/auth/collector) or an admin key. A lender verifies the statement " +
          "offline against the network operator's address; the signature costs no transaction.",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        params: AddressParams,
        response: { 200: CreditReport, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const address = checkedAddress(request.params.address);
      if (request.collector !== undefined && request.collector !== address) {
        throw forbidden("RC_NOT_YOUR_WALLET", "a session reads only its own wallet");
      }
      // Whole seconds, so the score's asOf and the signed uint64 asOf are the same instant; rounded up, so
      // what was recorded a moment ago (a payment just settled) is inside it.
      const asOf = new Date(Math.ceil(Date.now() / 1000) * 1000);
      const score = creditScore(await creditLedger(app.sql, address, asOf), asOf);
      const statement = creditStatement(address, score);
      const { signature, signer } = await signCreditStatement(app.chain.writer.wallet, app.chain.chainId, statement);
      return { score: score.score, asOf: asOf.toISOString(), factors: score.factors, statement, signature, signer };
    },
  );
};
