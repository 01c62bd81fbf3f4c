import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { getAddress, isAddress } from "ethers";
import type { NetworkDeployment } from "../core/deployment.js";

export type { NetworkDeployment };

/** Deployments keyed by chain id, stored as JSON (ADDRESS_BOOK, by default deployments/addresses.json). */
export type AddressBook = Record<string, NetworkDeployment>;

const CONTRACT_NAMES = ["stablecoin", "vault", "factory", "tokenImplementation"] as const;
/** Contracts added after the first deployments: a book may lack them, but not hold a bad address for one. */
const OPTIONAL_CONTRACT_NAMES = ["lotCertificate", "collectorAccounts"] as const;

/** The deployment the book at `path` records for chain `chainId`, or an error that says to deploy first. */
export async function deploymentFor(path: string, chainId: number): Promise<NetworkDeployment> {
  const deployment = (await readAddressBook(path))[String(chainId)];
  if (!deployment) throw new Error(`${path} has no deployment for chain ${chainId}: deploy first (npm run deploy)`);
  return deployment;
}

/** Reads the book; a missing file is an empty book, a malformed one an error naming what is wrong. */
export async function readAddressBook(path: string): Promise<AddressBook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw)) throw new Error(`${path}: expected an object keyed by chain id`);
  const book: AddressBook = {};
  for (const [chainId, entry] of Object.entries(raw)) {
    book[chainId] = parseDeployment(entry, `${path}: chain ${chainId}`);
  }
  return book;
}

/** Records (or replaces) the deployment for its chain, writing atomically so readers never see half a file. */
export async function recordDeployment(deployment: NetworkDeployment, path: string): Promise<void> {
  const book = await readAddressBook(path);
  book[String(deployment.chainId)] = deployment;
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(book, null, 2)}\n`);
  await rename(temporary, path);
}

/** Whether every recorded contract has code on the chain: a restarted dev node forgets them all. */
export async function isDeployedOn(
  deployment: NetworkDeployment,
  getCode: (address: string) => Promise<string>,
): Promise<boolean> {
  const addresses = [...CONTRACT_NAMES, ...OPTIONAL_CONTRACT_NAMES].flatMap((name) => deployment.contracts[name] ?? []);
  const codes = await Promise.all(addresses.map((address) => getCode(address)));
  return codes.every((code) => code !== "0x");
}

function parseDeployment(entry: unknown, where: string): NetworkDeployment {
  if (!isRecord(entry) || !isRecord(entry.contracts)) throw new Error(`${where}: expected { contracts: {...} }`);
  const { chainId, startBlock, deployedAt, governance, operator, contracts } = entry;
  if (!Number.isSafeInteger(chainId) || (chainId as number) <= 0) throw new Error(`${where}: bad chainId`);
  if (!Number.isSafeInteger(startBlock) || (startBlock as number) < 0) throw new Error(`${where}: bad startBlock`);
  if (typeof deployedAt !== "string") throw new Error(`${where}: bad deployedAt`);
  const parsed = {} as NetworkDeployment["contracts"];
  for (const name of CONTRACT_NAMES) parsed[name] = parseAddress(contracts[name], `${where}: contracts.${name}`);
  for (const name of OPTIONAL_CONTRACT_NAMES) {
    if (contracts[name] !== undefined) parsed[name] = parseAddress(contracts[name], `${where}: contracts.${name}`);
  }
  return {
    chainId: chainId as number,
    startBlock: startBlock as number,
    deployedAt,
    governance: parseAddress(governance, `${where}: governance`),
    operator: parseAddress(operator, `${where}: operator`),
    contracts: parsed,
  };
}

function parseAddress(value: unknown, where: string): string {
  if (typeof value !== "string" || !isAddress(value)) throw new Error(`${where}: not an address`);
  return getAddress(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
