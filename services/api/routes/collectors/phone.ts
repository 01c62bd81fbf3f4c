/**
 * Collectors without a smartphone (issue 5): a point registers them by phone number, their drop-offs wait
 * in escrow (off chain, `escrowed` events) and a one-time code read out at a point claims them to a wallet.
 *
 * The claim is code + address, with no wallet signature: the code is the secret, and a signature would
 * prove only that the claimer holds the wallet, not that they are the collector (whoever overhears the
 * code can sign with their own wallet as easily). What protects the escrow is the code's short life (15
 * min), its five attempts and that it is read out to the collector in person.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { conflict, notFound } from "../../../core/errors.js";
import { claimCodeHash, maskPhone, newClaimCode, phoneKey } from "../../../core/phone.js";
import { memberOf } from "../../plugins/auth.js";
import { findPhoneCollector, issueClaimCode } from "../../../db/phone-collectors.js";
import { claimPhoneEscrow } from "../../../flows/claim-phone-escrow.js";
import { readPhone } from "../../../flows/read-phone.js";
import { eventDeps } from "../../flow-deps.js";
import { ClaimBody, ClaimCode, ClaimCodeBody, Claimed } from "../../schemas/collectors.js";
import { ErrorResponse, errors } from "../../schemas/common.js";

export const phoneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = eventDeps(app);
  app.post(
    "/collectors/phone/claim-code",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "Issue a one-time code (6 digits, 15 min) a phone collector claims their escrow with",
        description:
          "The point reads the code to the collector; it is answered once and stored hashed. A new code " +
          "cancels the previous one. SMS delivery is not part of this API.",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        body: ClaimCodeBody,
        response: { 201: ClaimCode, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const member = memberOf(request);
      const salt = app.phoneSalt();
      const phone = await readPhone(app.lookups, request.body.phone, request.body.programId);
      const key = phoneKey(salt, phone);
      const collector = await findPhoneCollector(app.sql, key);
      if (!collector) throw notFound("RC_PHONE_NOT_FOUND", "no collector registered with this phone number");
      if (collector.claimedWallet !== null) {
        throw conflict("RC_PHONE_ALREADY_CLAIMED", "this phone's credits already go to a wallet");
      }
      const code = newClaimCode();
      const expiresAt = await issueClaimCode(app.sql, collector.id, claimCodeHash(salt, key, code), member.id);
      return reply.status(201).send({ phone: maskPhone(phone), code, expiresAt: expiresAt.toISOString() });
    },
  );

  app.post(
    "/claims",
    {
      schema: {
        summary: "Claim a phone collector's escrowed credits to a wallet with a one-time code",
        description:
          "No API key: the code is the secret. Every failure (unknown number, no code, expired, used up after " +
          "five wrong tries, already claimed, wrong code) is the same 400, so the answer tells no one which " +
          "numbers are registered. Claims are limited per client and per phone number (429 RC_RATE_LIMITED). " +
          "On success the escrowed credits are minted to the address and later drop-offs by phone go to it.",
        tags: ["collectors"],
        body: ClaimBody,
        response: { 200: Claimed, ...errors(400, 404, 503), 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const phone = await readPhone(app.lookups, request.body.phone, request.body.programId);
      // Counted for registered and unknown numbers alike, before anything is looked up.
      await app.limitClaimsPerPhone(request, reply, phoneKey(app.phoneSalt(), phone));
      return claimPhoneEscrow(deps, { ...request.body, phone });
    },
  );
};
