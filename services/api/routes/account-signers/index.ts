import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { accountsOfSigner } from "../../../chain/collector-accounts.js";
import { relaySignerChange } from "../../../flows/relay-signer-change.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { SignerAccounts, SignerChangeBody, SignerChangeReceipt, SignerQuery } from "../../schemas/account-signers.js";
import { errors } from "../../schemas/common.js";

/**
 * A passkey account's further signers (another phone, a recovery phrase). Changing them needs no API key: a
 * signer's EIP-712 signature is the authority, checked by the account; the operator relays it and pays the gas.
 */
const accountSignerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/account-signers",
    {
      schema: {
        summary: "Relay a signed change of a passkey account's signers: add or remove another passkey or a recovery key",
        tags: ["collectors"],
        body: SignerChangeBody,
        response: { 201: SignerChangeReceipt, ...errors(400, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await relaySignerChange(operatorWriteDeps(app), request.body)),
  );

  app.get(
    "/account-signers",
    {
      schema: {
        summary: "The passkey accounts a signer was added to: how another phone finds the account it now signs for",
        tags: ["collectors"],
        querystring: SignerQuery,
        response: { 200: SignerAccounts, ...errors(400) },
      },
    },
    async (request) => {
      const signer = request.query.signer.toLowerCase();
      return { signer, accounts: await accountsOfSigner(app.chain, signer) };
    },
  );
};

export default accountSignerRoutes;
