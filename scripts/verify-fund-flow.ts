/**
 * RECIRCLE_API_KEY=<sponsor's key> npm run verify -- --sponsor <address> --rpc <url> [--api <url>] [--address-book <path>]
 *                   [--from <block>] [--to <block>]
 * npm run verify -- --lot <id> --collection <eventId> --rpc <url> --api <url> [--address-book <path>]
 *
 * Rebuilds a sponsor's fund flow (deposits, draws, fees, withdrawals, what is left, solvency) from chain logs alone and,
 * with --api, compares it with what the recircle API reports (read with the sponsor's key from RECIRCLE_API_KEY: a key
 * on the command line would stay in the shell's history), and checks each credited collection the API
 * lists against the Credited logs of the transaction it names. Exits 1 on any difference, listing them.
 *
 * With --lot, checks instead that a drop-off is inside a certified lot: the API's public Merkle proof is
 * checked against the event's leaf, in TypeScript, and by the address book's LotCertificate on chain.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Contract, getAddress, isAddress } from "ethers";
import { LotCertificate__factory } from "../types/ethers-contracts/index.js";
import { ApiError, createApiClient } from "../services/api/client/index.js";
import { deploymentFor } from "../services/chain/address-book.js";
import { readCreditedLogs } from "../services/chain/fund-flow-logs.js";
import { checkFundFlowOnChain } from "../services/chain/fund-flow-verify.js";
import { createProvider } from "../services/chain/network.js";
import { addressBookPath } from "../services/config.js";
import { formatTokenAmount } from "../services/core/amounts.js";
import { checkLotProof, type LotProofReply } from "../services/core/lot-proof-check.js";
import type { FundFlowReport } from "../services/core/fund-flow-present.js";

export interface VerifyOptions {
  sponsor: string;
  rpc: string;
  api?: string;
  key?: string;
  addressBook?: string;
  from?: number;
  to?: number;
}

/** The chain's report, the API's (when asked) and every difference between them. */
export async function verifyFundFlow(options: VerifyOptions) {
  const provider = createProvider(options.rpc);
  try {
    const chainId = (await provider.getNetwork()).chainId;
    const deployment = await deploymentFor(options.addressBook ?? addressBookPath(), Number(chainId));
    const stablecoin = new Contract(deployment.contracts.stablecoin, ["function decimals() view returns (uint8)"], provider);
    const decimals = Number(await stablecoin.getFunction("decimals")());

    const api = options.api ? await fetchReport(options) : undefined;
    // The API answers up to its indexed block: the chain's report is rebuilt over exactly the same blocks.
    const fromBlock = api?.fromBlock ?? options.from ?? deployment.startBlock;
    const toBlock = api?.toBlock ?? options.to ?? (await provider.getBlockNumber());
    const { chain, differences } = await checkFundFlowOnChain(provider, deployment, {
      sponsor: options.sponsor,
      fromBlock,
      toBlock,
      decimals,
      api,
    });
    // What the funded programs minted in the window, loyalty credits included: context for the summary.
    const minted = await readCreditedLogs(provider, chain.programs.map((p) => p.program), fromBlock, toBlock);
    return { chain, api, differences, minted };
  } finally {
    provider.destroy();
  }
}

async function fetchReport(options: VerifyOptions): Promise<FundFlowReport> {
  const api = createApiClient({ baseUrl: options.api!, apiKey: options.key });
  const query = {
    sponsor: options.sponsor,
    ...(options.from !== undefined ? { from: String(options.from) } : {}),
    ...(options.to !== undefined ? { to: String(options.to) } : {}),
  };
  const report = await api.fundFlow(query).catch((error: unknown) => {
    throw error instanceof ApiError && error.status > 0 ? new Error(`the API answered ${error.status}: ${JSON.stringify(error.body)}`) : error;
  });
  // The answer's schema type and the presenter's differ only in `solvency?:` against `solvency: … | undefined`.
  return report as FundFlowReport;
}

/** " (2026-12-01 – 2026-12-03)": the days of the report's first and last blocks (UTC), when the node gave their times. */
const periodDates = ({ period }: FundFlowReport) =>
  period.from.at && period.to.at ? ` (${period.from.at.slice(0, 10)} – ${period.to.at.slice(0, 10)})` : "";

/** A few lines a person can read: what the chain says, and whether the API agrees. */
export function summary(result: Awaited<ReturnType<typeof verifyFundFlow>>): string {
  const { chain, api, differences, minted } = result;
  // Credited logs the API explains: each collection's credit and its delayed bonus's (a bonus is no count of its own).
  const credits = api?.programs.reduce((n, p) => n + p.collections.credits.length, 0) ?? 0;
  const mintedTokens = formatTokenAmount(minted.reduce((sum, c) => sum + c.amount, 0n));
  const lines = [
    `Sponsor ${chain.sponsor}, blocks ${chain.fromBlock}–${chain.toBlock}${periodDates(chain)}, from chain logs alone:`,
    `  deposited ${chain.totals.deposited} in ${chain.deposits.length} deposit(s); drawn ${chain.totals.drawn} ` +
      `(${chain.totals.paidToRetailers} to retailers, ${chain.totals.fees} in fees); withdrawn ${chain.totals.withdrawn}; left ${chain.totals.left}`,
    ...chain.programs.map((p) =>
      `  program ${p.program}: outstanding ${p.solvency?.outstandingValue} vs deposits left ${p.solvency?.depositsLeft} ` +
      `(${p.solvency?.solvent ? "solvent" : "NOT solvent"})`,
    ),
    `  the funded program(s) credited ${minted.length} event(s), ${mintedTokens} tokens, in these blocks` +
      (api ? `; the API counts ${credits} of them as collections and their bonuses` : ""),
  ];
  if (!api) return [...lines, "  (no --api given: nothing compared)"].join("\n");
  if (differences.length === 0) return [...lines, `  the API agrees, and its ${credits} credited collection(s) match their transactions`].join("\n");
  return [...lines, `  ${differences.length} difference(s) with the API:`, ...differences.map((d) => `    - ${d}`)].join("\n");
}

export interface LotProofOptions {
  lot: bigint;
  collection: bigint;
  rpc: string;
  api: string;
  addressBook?: string;
}

/** Whether drop-off `collection` is provably inside lot `lot`: every problem found, none when it is. */
export async function verifyLotProof(options: LotProofOptions) {
  const { lot, collection } = options;
  const provider = createProvider(options.rpc);
  try {
    const chainId = (await provider.getNetwork()).chainId;
    const deployment = await deploymentFor(options.addressBook ?? addressBookPath(), Number(chainId));
    if (!deployment.contracts.lotCertificate) throw new Error(`the address book has no LotCertificate on chain ${chainId}`);
    // No key: the proof route is public, so anyone holding a drop-off's id can check it.
    const answer = await createApiClient({ baseUrl: options.api }).lotProof(lot, collection).catch((error: unknown) => {
      if (error instanceof ApiError && error.status > 0) return error;
      throw error;
    });
    // A refusal (not in the lot, lot not certified) is a failed check, not a broken run: exit 1, not 2.
    if (answer instanceof ApiError) return { lot, collection, problems: [`the API gives no proof (${answer.status}): ${JSON.stringify(answer.body)}`] };
    const reply: LotProofReply = answer;
    // The address book's certificate, not the API's: the chain is the party that needs no trust.
    const certificate = LotCertificate__factory.connect(deployment.contracts.lotCertificate, provider);
    const chain = {
      certificate: deployment.contracts.lotCertificate,
      root: await certificate.merkleRootOf(lot),
      contains: await certificate.contains(lot, collection, reply.proof),
    };
    return { lot, collection, reply, problems: checkLotProof(lot, collection, reply, chain) };
  } finally {
    provider.destroy();
  }
}

/** One line when the drop-off is proven; otherwise every problem, so the failing party is plain. */
export function lotProofSummary(result: Awaited<ReturnType<typeof verifyLotProof>>): string {
  const { lot, collection, reply, problems } = result;
  const head = `Drop-off ${collection} in lot ${lot}` + (reply ? ` (root ${reply.root}, ${reply.proof.length}-step proof):` : ":");
  if (problems.length === 0) {
    return `${head}\n  the leaf is the drop-off's, the proof folds into the root, and the certificate holds that root and accepts it`;
  }
  return [`${head} NOT proven`, ...problems.map((p) => `    - ${p}`)].join("\n");
}

/** The lot check's arguments, or undefined when they are incomplete or malformed. */
function lotOptions(values: Record<string, string | undefined>): LotProofOptions | undefined {
  const id = /^[1-9][0-9]*$/;
  if (!values.lot || !id.test(values.lot) || !values.collection || !id.test(values.collection)) return undefined;
  if (!values.rpc || !values.api) return undefined;
  return {
    lot: BigInt(values.lot),
    collection: BigInt(values.collection),
    rpc: values.rpc,
    api: values.api,
    ...(values["address-book"] ? { addressBook: values["address-book"] } : {}),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sponsor: { type: "string" },
      rpc: { type: "string" },
      api: { type: "string" },
      // Refused rather than unknown: the message says where the key goes instead.
      key: { type: "string" },
      "address-book": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      lot: { type: "string" },
      collection: { type: "string" },
    },
  });
  if (values.lot !== undefined || values.collection !== undefined) {
    const options = lotOptions(values);
    if (!options) {
      console.error("usage: npm run verify -- --lot <id> --collection <eventId> --rpc <url> --api <url> [--address-book <path>]");
      process.exit(2);
    }
    const result = await verifyLotProof(options);
    console.log(lotProofSummary(result));
    process.exitCode = result.problems.length === 0 ? 0 : 1;
    return;
  }
  if (values.key !== undefined) {
    console.error("verify: give the API key as RECIRCLE_API_KEY in the environment, not --key (the shell's history keeps a command line)");
    process.exit(2);
  }
  if (!values.sponsor || !isAddress(values.sponsor) || !values.rpc) {
    console.error("usage: RECIRCLE_API_KEY=<sponsor's key> npm run verify -- --sponsor <address> --rpc <url> [--api <url>] [--address-book <path>]");
    console.error("       npm run verify -- --lot <id> --collection <eventId> --rpc <url> --api <url> [--address-book <path>]");
    process.exit(2);
  }
  const result = await verifyFundFlow({
    sponsor: getAddress(values.sponsor),
    rpc: values.rpc,
    ...(values.api ? { api: values.api } : {}),
    ...(process.env.RECIRCLE_API_KEY ? { key: process.env.RECIRCLE_API_KEY } : {}),
    ...(values["address-book"] ? { addressBook: values["address-book"] } : {}),
    ...(values.from ? { from: Number(values.from) } : {}),
    ...(values.to ? { to: Number(values.to) } : {}),
  });
  console.log(summary(result));
  process.exitCode = result.differences.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
