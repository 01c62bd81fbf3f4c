/**
 * The demo network `npm run seed` creates through a running API, as an operator would with curl: a recycling
 * program, a collection point, a retailer and a sponsor with fresh wallets, and (on the dev chain) a relayed,
 * gasless deposit. Every run makes a new, numbered set ("Demo 1", "Demo 2", …); nothing is reused.
 */
import { JsonRpcProvider, NonceManager, parseUnits, Wallet } from "ethers";
import { signDepositRequest } from "../../services/chain/deposit-signatures.js";
import { DEV_CHAIN_ID } from "../../services/chain/network.js";
import { SponsorVault__factory, TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { DEV_GOVERNANCE_KEY } from "../dev-network.js";
import { ApiError, createApiClient, type CreateMemberBody, type NetworkInfo } from "../../services/api/client/index.js";
import { type Demo, writeDemo } from "./demo-file.js";

export interface SeedOptions {
  api: string;
  adminKey: string;
  /** Where demo.json is written (the config's STATE_DIR). */
  stateDir: string;
  /** Stablecoin the sponsor deposits for the program; default 1000. */
  deposit?: string;
  /** The chain's JSON-RPC; default the one GET /v1/network names. */
  rpcUrl?: string;
  log?: (line: string) => void;
}

export interface SeedResult {
  demo: Demo;
  path: string;
  /** Set when the sponsor was not funded and nothing was deposited: what to do instead. */
  unfunded?: string;
}

const DEMO_PREFIX = "Ocean Plastic Demo";
/** Tokens per kg: what a point in Jakarta might pay in kind for sorted, clean material. */
const RATES = { PET: "2.5", HDPE: "2", ALUMINIUM: "5", PAPER: "0.5" };

export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const api = createApiClient({ baseUrl: options.api, timeoutMs: 15_000 });
  const admin = { apiKey: options.adminKey };
  const network = await api.network().catch((error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 0) throw error;
    throw new Error(`GET ${options.api}/v1/network: ${error.message} (is the API running? npm start)`);
  });
  const serial = 1 + network.programs.filter((p) => p.name.startsWith(DEMO_PREFIX)).length;
  const label = `Demo ${serial}`;
  log(`seed: chain ${network.chainId}, making ${label} at ${options.api}`);

  const program = await api.createProgram({
    name: `${DEMO_PREFIX} ${serial}`,
    symbol: `OCD${serial}`.slice(0, 11),
    kind: "recycling",
    redemptionRate: "0.01",
    rates: RATES,
    caps: { perEvent: "100", perBeneficiaryDaily: "500" },
  }, admin);
  log(`  program   #${program.id} ${program.name} (${program.symbol}), token ${program.token}`);

  const admit = async (kind: CreateMemberBody["kind"], name: string, address?: string) => {
    const member = await api.createMember({ kind, name, ...(address ? { address } : {}) }, admin);
    return { id: member.id, name, apiKey: member.apiKey };
  };
  const grant = (memberId: number) => api.grantProgram(program.id, memberId, admin);

  const point = await admit("collection_point", `Point Ketapang (${label})`);
  await grant(point.id);
  log(`  point     #${point.id} ${point.name}, may record for the program`);

  const retailerWallet = Wallet.createRandom();
  const retailer = { ...(await admit("retailer", `Warung Bu Tini (${label})`, retailerWallet.address)), address: retailerWallet.address, phrase: retailerWallet.mnemonic!.phrase };
  await grant(retailer.id);
  log(`  retailer  #${retailer.id} ${retailer.name}, ${retailer.address}, accepts the program (granted on chain)`);

  const sponsorWallet = Wallet.createRandom();
  const sponsor = { ...(await admit("sponsor", `Sabun Segar Nusantara (${label})`, sponsorWallet.address)), address: sponsorWallet.address, phrase: sponsorWallet.mnemonic!.phrase };
  log(`  sponsor   #${sponsor.id} ${sponsor.name}, ${sponsor.address}`);

  const amount = options.deposit ?? "1000";
  const demo: Demo = {
    api: options.api,
    createdAt: new Date().toISOString(),
    chainId: network.chainId,
    stablecoin: network.stablecoin.symbol,
    program: { id: program.id, name: program.name, symbol: program.symbol, token: program.token, rates: program.rates as Record<string, string>, redemptionRate: program.redemptionRate },
    point,
    retailer,
    sponsor,
    deposit: null,
  };

  const provider = new JsonRpcProvider(options.rpcUrl ?? network.rpcUrl, undefined, { staticNetwork: true });
  // The members exist from here on: keep their keys even if funding or the deposit fails.
  await writeDemo(options.stateDir, demo);
  try {
    const bank = await devBank(provider, network);
    if (!bank) {
      const unfunded =
        `chain ${network.chainId} is not the dev chain (or its stablecoin is not the dev bank's): fund the sponsor ` +
        `${sponsor.address} with ${amount} ${network.stablecoin.symbol} (it needs no gas), then deposit with POST /v1/deposits ` +
        "(the stablecoin's EIP-2612 permit and the vault's Deposit signature) or the vault's deposit(). Stopped before depositing.";
      log(`  deposit   none: ${unfunded}`);
      return { demo, path: await writeDemo(options.stateDir, demo), unfunded };
    }
    const units = parseUnits(amount, network.stablecoin.decimals);
    // One nonce manager for both: the provider's short cache could hand the second the first one's nonce.
    await (await bank.wallet.sendTransaction({ to: sponsor.address, value: parseUnits("1", 18) })).wait();
    await (await bank.coin.mint(sponsor.address, units)).wait();
    log(`  funded    the sponsor with 1 ETH and ${amount} ${network.stablecoin.symbol} from dev account #0`);

    const vault = SponsorVault__factory.connect(network.contracts.vault, provider);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const signatures = await signDepositRequest(sponsorWallet, {
      chainId: BigInt(network.chainId),
      vault: network.contracts.vault,
      stablecoin: { address: network.contracts.stablecoin, name: await bank.coin.name() },
      sponsor: sponsor.address,
      program: program.token,
      amount: units,
      permitNonce: await bank.coin.nonces(sponsor.address),
      depositNonce: await vault.nonces(sponsor.address),
      deadline,
    });
    const deposit = await api.createDeposit({ programId: program.id, amount, deadline: Number(deadline), ...signatures }, { apiKey: sponsor.apiKey });
    demo.deposit = { depositId: deposit.depositId, amount: deposit.amount, txHash: deposit.txHash, blockNumber: deposit.blockNumber };
    log(`  deposit   #${deposit.depositId}: ${deposit.amount} ${network.stablecoin.symbol} relayed gaslessly (permit + Deposit), tx ${deposit.txHash} in block ${deposit.blockNumber}`);
  } finally {
    provider.destroy();
  }
  return { demo, path: await writeDemo(options.stateDir, demo) };
}

/** On the dev chain, dev account #0 owns the test stablecoin and can play the bank; anywhere else, nobody here can. */
async function devBank(provider: JsonRpcProvider, network: NetworkInfo) {
  if (network.chainId !== DEV_CHAIN_ID) return undefined;
  const key = new Wallet(DEV_GOVERNANCE_KEY, provider);
  const wallet = new NonceManager(key);
  const coin = TestStablecoin__factory.connect(network.contracts.stablecoin, wallet);
  try {
    if ((await coin.owner()).toLowerCase() !== key.address.toLowerCase()) return undefined;
  } catch {
    return undefined; // not a TestStablecoin
  }
  return { wallet, coin };
}

/** The seed's output for a person: every key, the phrase, and where to open each screen. */
export function describeDemo(result: SeedResult, webBase = result.demo.api): string {
  const { demo } = result;
  const web = webBase.replace(/\/+$/, "");
  return `
Demo network ready (saved with its secrets in ${result.path}; keep it out of git)

  program    #${demo.program.id} ${demo.program.name} (${demo.program.symbol}), token ${demo.program.token}
             tokens per kg: ${Object.entries(demo.program.rates).map(([m, r]) => `${m} ${r}`).join(", ")}; ${demo.program.redemptionRate} ${demo.stablecoin} per token on redemption

  collection point   ${web}/#/point
    name             ${demo.point.name}
    API key          ${demo.point.apiKey}

  retailer (shop)    ${web}/#/retailer
    name             ${demo.retailer.name}
    API key          ${demo.retailer.apiKey}
    wallet           ${demo.retailer.address}
    12-word phrase   ${demo.retailer.phrase}
                     (import it in #/retailer when the page asks for the shop's wallet)

  sponsor            ${web}/#/sponsor
    name             ${demo.sponsor.name}
    API key          ${demo.sponsor.apiKey}
    wallet           ${demo.sponsor.address}
    12-word phrase   ${demo.sponsor.phrase}
    deposit          ${demo.deposit ? `#${demo.deposit.depositId}: ${demo.deposit.amount} ${demo.stablecoin}, tx ${demo.deposit.txHash}` : `none: ${result.unfunded}`}

  collector          ${web}/#/collector
                     create a wallet on the phone, show its QR at the point, then pay the shop's code

  then: npm run simulate   (a day of drop-offs, payments and a redemption on this network)
`;
}
