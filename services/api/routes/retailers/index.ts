import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatDecimal, formatTokenAmount } from "../../../core/amounts.js";
import type { RedemptionRecord } from "../../../db/ledger.js";
import { readRetailerOverview } from "../../../flows/read-retailer.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { RetailerOverview } from "../../schemas/reads.js";
import { presentBalance } from "../../presenters/ledger.js";
import { presentPayment } from "../../presenters/payments.js";
import permitRoutes from "./permit.js";
import publicRetailerRoutes from "./public.js";

/** A redemption with its stablecoin amounts in the stablecoin's decimals; net is derived, null until known. */
function presentRedemption(r: RedemptionRecord, stableDecimals: number) {
  const stable = (value: bigint | null) => (value === null ? null : formatDecimal(value, stableDecimals));
  return {
    id: Number(r.id),
    programId: Number(r.programId),
    tokens: formatTokenAmount(r.tokens),
    status: r.status,
    failureReason: r.failureReason,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    gross: stable(r.gross),
    fee: stable(r.fee),
    net: r.gross === null || r.fee === null ? null : stable(r.gross - r.fee),
    createdAt: r.createdAt.toISOString(),
  };
}

const retailerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(permitRoutes);
  await app.register(publicRetailerRoutes);
  app.get(
    "/retailers/me",
    {
      onRequest: app.requireMember("retailer"),
      schema: {
        summary: "The calling retailer's token balances (the indexed chain, and what is on chain but not yet indexed), payments received and redemptions",
        tags: ["retailers"],
        security: [{ apiKey: [] }],
        response: { 200: RetailerOverview, ...errors(401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const overview = await readRetailerOverview({ sql: app.sql, chain: app.chain }, member);
      return {
        id: Number(member.id),
        name: member.name,
        address: member.address,
        indexedBlock: overview.indexedBlock,
        balancesBlock: overview.block,
        updating: overview.updating,
        balances: overview.balances.map(presentBalance),
        payments: overview.payments.map(presentPayment),
        redemptions: overview.redemptions.map((r) => presentRedemption(r, app.stablecoinDecimals)),
      };
    },
  );
};

export default retailerRoutes;
