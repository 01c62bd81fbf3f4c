import type { FastifyInstance } from "fastify";
import { Contract } from "ethers";
import fp from "fastify-plugin";
import { type Config, EMBEDDED_CHAIN_URL } from "../../config.js";
import { readAddressBook } from "../../chain/address-book.js";
import { type Chain, connectChain, createProvider } from "../../chain/network.js";

declare module "fastify" {
  interface FastifyInstance {
    chain: Chain;
    /** Decimals of the vault's stablecoin: redemption rates travel in its units. */
    stablecoinDecimals: number;
    /** Its symbol, as pages label money (tUSD on the dev chain). */
    stablecoinSymbol: string;
  }
}

/**
 * The chain named by CHAIN_RPC_URL (or the embedded node) and the deployment the address book records for
 * it, signing with `signerKey` (the operator's by default; `devKey` stands in for it on the dev chain).
 */
export async function openChain(
  config: Config,
  signerKey: string | undefined = config.operatorPrivateKey,
  devKey?: string,
): Promise<Chain> {
  const url = config.chainRpcUrl ?? EMBEDDED_CHAIN_URL;
  const probe = createProvider(url);
  const chainId = Number((await probe.getNetwork()).chainId);
  probe.destroy();
  const deployment = (await readAddressBook(config.addressBookPath))[String(chainId)];
  if (!deployment) {
    throw new Error(`${config.addressBookPath} has no deployment for chain ${chainId}: deploy first (npm run deploy)`);
  }
  return connectChain(url, deployment, signerKey, devKey);
}

export default fp(
  async (app: FastifyInstance, { config, chain }: { config: Config; chain?: Chain }) => {
    const opened = chain ?? (await openChain(config));
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
