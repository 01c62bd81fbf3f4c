import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress, ZeroAddress } from "ethers";
import { Type } from "typebox";
import { badRequest, forbidden } from "../../../core/errors.js";
import { registerCollector } from "../../../db/collectors.js";
import { memberOf } from "../../plugins/auth.js";
import { Address, errors, Id } from "../../schemas/common.js";
import { AddressParams, CollectorLedger } from "../../schemas/reads.js";
import { creditRoutes } from "./credit.js";
import { collectorLedger } from "./ledger.js";

const RegisterBody = Type.Object(
  { address: Address, displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
const Collector = Type.Object({ id: Id, address: Address, displayName: Type.Union([Type.String(), Type.Null()]) });

const collectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(creditRoutes);

  app.post(
    "/collectors",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "Register a collector's wallet (shown as a QR code on their phone); 200 if already registered",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        body: RegisterBody,
        response: { 200: Collector, 201: Collector, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const member = memberOf(request);
      const address = getAddress(request.body.address.toLowerCase());
      if (address === ZeroAddress) throw badRequest("RC_INVALID_ADDRESS", "the zero address cannot hold tokens");
      const { collector, created } = await registerCollector(app.sql, {
        address,
        displayName: request.body.displayName ?? null,
        registeredBy: member.id,
      });
      return reply
        .status(created ? 201 : 200)
        .send({ id: Number(collector.id), address: collector.address, displayName: collector.displayName });
    },
  );

  app.get(
    "/collectors/:address",
    {
      onRequest: app.requireCollectorOrMember("admin"),
      schema: {
        summary: "A wallet's balances (from the indexed chain) and its latest credits and payments",
        description: "For the wallet's own session token (POST /v1/auth/collector) or an admin key.",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        params: AddressParams,
        response: { 200: CollectorLedger, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const address = getAddress(request.params.address.toLowerCase());
      // An admin reads any wallet; a session reads only the wallet that signed in.
      if (request.collector !== undefined && request.collector !== address) {
        throw forbidden("RC_NOT_YOUR_WALLET", "a session reads only its own wallet");
      }
      return collectorLedger(app, address);
    },
  );
};

export default collectorRoutes;
