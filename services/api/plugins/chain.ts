import type { FastifyInstance } from "fastify";
import { Contract } from "ethers";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { type Chain, openChain } from "../../chain/network.js";

declare module "fastify" {
  interface FastifyInstance {
    chain: Chain;
    /** Decimals of the vault's stablecoin: redemption rates travel in its units. */
    stablecoinDecimals: number;
    /** Its symbol, as pages label money (tUSD on the dev chain). */
    stablecoinSymbol: string;
  }
}

export default fp(
  async (app: FastifyInstance, { config, chain }: { config: Config; chain?: Chain }) => {
    const opened = chain ?? (await openChain(config, undefined, undefined, app.log));
    app.decorate("chain", opened);
    const stablecoin = await opened.vault.stablecoin();
    const coin = new Contract(stablecoin, ["function decimals() view returns (uint8)", "function symbol() view returns (string)"], opened.provider);
    const [decimals, symbol] = await Promise.all([coin.getFunction("decimals").staticCall(), coin.getFunction("symbol").staticCall()]);
    app.decorate("stablecoinDecimals", Number(decimals));
    app.decorate("stablecoinSymbol", String(symbol));
    if (!chain) app.addHook("onClose", async () => opened.close());
  },
  { name: "chain" },
);
