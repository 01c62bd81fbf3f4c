import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress } from "ethers";
import { notFound } from "../../../core/errors.js";
import { findActiveRetailerByAddress } from "../../../db/members.js";
import { errors } from "../../schemas/common.js";
import { PublicRetailer, AddressParams } from "../../schemas/reads.js";

/**
 * A shop's display name by its chain address, for the payer's "Pay 2 OCD1 to Warung Bu Tini?" step. Public,
 * like the address itself on chain: a collector pays before it has any session, and a voucher is signed offline.
 */
const publicRetailerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/retailers/:address",
    {
      schema: {
        summary: "A shop's display name by its address: public, no key",
        tags: ["retailers"],
        params: AddressParams,
        response: { 200: PublicRetailer, ...errors(400, 404) },
      },
    },
    async (request) => {
      const retailer = await findActiveRetailerByAddress(app.sql, request.params.address);
      if (!retailer) throw notFound("RC_RETAILER_NOT_FOUND", `no shop at ${request.params.address}`);
      return { address: getAddress(retailer.address!), name: retailer.name };
    },
  );
};

export default publicRetailerRoutes;
