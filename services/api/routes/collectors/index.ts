import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { checkedAddress } from "../../../core/addresses.js";
import { forbidden } from "../../../core/errors.js";
import { readLedger } from "../../../flows/read-ledger.js";
import { registerCollector } from "../../../flows/register-collector.js";
import collectorListRoutes from "./list.js";
import { eventDeps } from "../../flow-deps.js";
import { presentLedger } from "../../presenters/ledger.js";
import { memberOf } from "../../plugins/auth.js";
import { Collector, RegisterBody } from "../../schemas/collectors.js";
import { errors } from "../../schemas/common.js";
import { AddressParams, CollectorLedger } from "../../schemas/reads.js";
import { creditRoutes } from "./credit.js";
import { phoneRoutes } from "./phone.js";

const collectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(creditRoutes);
  await app.register(phoneRoutes);
  await app.register(collectorListRoutes);

  app.post(
    "/collectors",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "Register a collector's wallet (shown as a QR code on their phone); 200 if already registered",
        description: "Or, for a collector without a smartphone, their `phone`: credits then wait in escrow until claimed.",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        body: RegisterBody,
        response: { 200: Collector, 201: Collector, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const { created, collector } = await registerCollector(eventDeps(app), memberOf(request), request.body);
      return reply.status(created ? 201 : 200).send(collector);
    },
  );

  app.get(
    "/collectors/:address",
    {
      onRequest: app.requireCollectorOrMember("admin"),
      schema: {
        summary: "A wallet's balances (the indexed chain, and what is on chain but not yet indexed) and its latest credits and payments",
        description: "For the wallet's own session token (POST /v1/auth/collector) or an admin key.",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        params: AddressParams,
        response: { 200: CollectorLedger, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const address = checkedAddress(request.params.address);
      // An admin reads any wallet; a session reads only the wallet that signed in.
      if (request.collector !== undefined && request.collector !== address) {
        throw forbidden("RC_NOT_YOUR_WALLET", "a session reads only its own wallet");
      }
      return presentLedger(await readLedger({ sql: app.sql, chain: app.chain }, address));
    },
  );
};

export default collectorRoutes;
