import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress } from "ethers";
import { checkedAddress } from "../../../core/addresses.js";
import { Type } from "typebox";
import { badRequest, forbidden } from "../../../core/errors.js";
import { fundFlowCsv } from "../../../core/fund-flow-csv.js";
import { readBlockTimes } from "../../../chain/fund-flow-logs.js";
import { presentFundFlow, reportBlocks } from "../../../core/fund-flow-present.js";
import { buildFundFlow } from "../../../core/fund-flow.js";
import { readCheckpoint } from "../../../db/chain-events.js";
import { fundFlowNames, fundFlowRows } from "../../../db/fund-flow.js";
import { TtlCache } from "../../../core/ttl-cache.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { FundFlow, FundFlowQuery } from "../../schemas/sponsors.js";

const CSV = "text/csv";
/** A block's time never changes once indexed (the checkpoint trails the confirmations): kept a day, 50,000 blocks at most. */
const BLOCK_TIME_TTL_MS = 86_400_000;
const BLOCK_TIMES_KEPT = 50_000;

const sponsorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const blockTimes = new TtlCache<number, number>(BLOCK_TIME_TTL_MS, BLOCK_TIMES_KEPT);
  app.get(
    "/sponsors/me/fund-flow",
    {
      onRequest: app.requireMember("sponsor", "admin"),
      schema: {
        summary: "Where a sponsor's money went: deposits, draws to retailers with fees, what is left, solvency, what it bought",
        description:
          "From the indexed chain (blocks `from`..`to`, at most the last indexed), each figure with its tx hash and block. " +
          "`period` dates its first and last blocks; addresses carry the names the network knows them by. " +
          "scripts/verify-fund-flow.ts rebuilds it from any RPC node. `Accept: text/csv` gives one row per deposit, draw and " +
          "withdrawal, and the collections by material, point and week (columns in services/core/fund-flow-csv.ts).",
        tags: ["sponsors"],
        security: [{ apiKey: [] }],
        querystring: FundFlowQuery,
        response: {
          200: { content: { "application/json": { schema: FundFlow }, [CSV]: { schema: Type.String() } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const member = memberOf(request);
      const { query } = request;
      let sponsor: string;
      if (member.kind === "admin") {
        if (!query.sponsor) throw badRequest("RC_SPONSOR_REQUIRED", "an admin names the sponsor: ?sponsor=<address>");
        sponsor = checkedAddress(query.sponsor);
      } else {
        if (!member.address) throw badRequest("RC_SPONSOR_WITHOUT_ADDRESS", "this sponsor has no chain address");
        sponsor = getAddress(member.address);
        if (query.sponsor && checkedAddress(query.sponsor) !== sponsor) {
          throw forbidden("RC_NOT_YOUR_REPORT", "a sponsor sees its own fund flow only");
        }
      }
      const { deployment, vault } = app.chain;
      // The report stops at the indexed block, so every figure in it is one the chain_events table holds.
      const indexed = (await readCheckpoint(app.sql))?.blockNumber ?? deployment.startBlock;
      const fromBlock = query.from === undefined ? deployment.startBlock : Number(query.from);
      const toBlock = Math.min(query.to === undefined ? indexed : Number(query.to), indexed);
      if (fromBlock > toBlock) throw badRequest("RC_INVALID_RANGE", `from (${fromBlock}) is after to (${toBlock})`);

      const rows = await fundFlowRows(app.sql, getAddress(deployment.contracts.vault), sponsor, fromBlock, toBlock);
      const programs = [...new Set(rows.deposited.map((d) => d.program))];
      const solvency = await Promise.all(
        programs.map(async (program) => {
          const [outstandingValue, depositsLeft] = await vault.solvency(program, { blockTag: toBlock });
          return { program, outstandingValue, depositsLeft };
        }),
      );
      const flow = buildFundFlow({ sponsor, fromBlock, toBlock, ...rows, solvency });
      // chain_events keeps no block times: the node says when the period began and ended and when the money moved.
      const times = await readBlockTimes(app.chain.provider, reportBlocks(flow), blockTimes);
      const addresses = [sponsor, ...flow.deposits.flatMap((d) => [d.program, ...d.draws.map((draw) => draw.retailer)])];
      const report = presentFundFlow(flow, app.stablecoinDecimals, times, await fundFlowNames(app.sql, addresses));
      if (request.headers.accept?.includes(CSV)) return reply.type(`${CSV}; charset=utf-8`).send(fundFlowCsv(report));
      return report;
    },
  );
};

export default sponsorRoutes;
