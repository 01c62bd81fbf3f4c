import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../../../config.js";
import { formatDecimal, formatTokenAmount } from "../../../core/amounts.js";
import type { Material } from "../../../core/materials.js";
import { listPrograms } from "../../../db/programs.js";
import { NetworkInfo } from "../../schemas/network.js";

/**
 * What a page needs before anyone signs in: the chain, the contracts and the programs' tokens (their
 * EIP-712 domains), so a phone can sign a payment or a sponsor re-read the chain without asking us more.
 * Everything here is public on chain already.
 */
const networkRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.get(
    "/network",
    {
      schema: {
        summary: "The chain, the network's contracts and every program's token: public, no key",
        tags: ["network"],
        response: { 200: NetworkInfo },
      },
    },
    async () => {
      const { deployment } = app.chain;
      const programs = await listPrograms(app.sql);
      return {
        chainId: app.chain.chainId,
        rpcUrl: config.publicChainRpcUrl,
        explorerUrl: config.publicExplorerUrl ?? null,
        startBlock: deployment.startBlock,
        contracts: {
          vault: deployment.contracts.vault,
          stablecoin: deployment.contracts.stablecoin,
          factory: deployment.contracts.factory,
          lotCertificate: deployment.contracts.lotCertificate ?? null,
          collectorAccounts: deployment.contracts.collectorAccounts ?? null,
        },
        stablecoin: { decimals: app.stablecoinDecimals, symbol: app.stablecoinSymbol },
        programs: programs.map((p) => ({
          id: Number(p.id),
          name: p.name,
          symbol: p.symbol,
          token: p.token,
          kind: p.kind,
          materials: Object.keys(p.rates) as Material[],
          rates: Object.fromEntries(Object.entries(p.rates).map(([m, rate]) => [m, formatTokenAmount(rate as bigint)])),
          redemptionRate: formatDecimal(p.redemptionRate, app.stablecoinDecimals),
          phoneCountry: p.phoneCountry,
        })),
      };
    },
  );
};

export default networkRoutes;
