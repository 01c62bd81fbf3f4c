import { getAddress, Indexed, type Interface, type Log, type ParamType } from "ethers";
import type { JSONValue } from "postgres";
import type { ChainContract, ChainEvent } from "../db/chain-events.js";
import {
  ProgramFactory__factory,
  RewardToken__factory,
  SponsorVault__factory,
} from "../../types/ethers-contracts/index.js";
import type { NetworkDeployment } from "./address-book.js";

const INTERFACES: Record<ChainContract, Interface> = {
  factory: ProgramFactory__factory.createInterface(),
  vault: SponsorVault__factory.createInterface(),
  token: RewardToken__factory.createInterface(),
};

/** Turns the network's raw logs into rows: the event's name and its named arguments as plain JSON. */
export class LogDecoder {
  private readonly factory: string;
  private readonly vault: string;

  constructor(deployment: NetworkDeployment) {
    this.factory = deployment.contracts.factory.toLowerCase();
    this.vault = deployment.contracts.vault.toLowerCase();
  }

  contractOf(address: string): ChainContract {
    const lower = address.toLowerCase();
    return lower === this.factory ? "factory" : lower === this.vault ? "vault" : "token";
  }

  decode(log: Log): ChainEvent {
    const contract = this.contractOf(log.address);
    const parsed = INTERFACES[contract].parseLog({ topics: [...log.topics], data: log.data });
    const args: Record<string, JSONValue> = {};
    if (parsed) {
      parsed.fragment.inputs.forEach((input, i) => (args[input.name] = toJson(input, parsed.args[i])));
    } else {
      // Not in the ABI (a contract upgrade the service predates): kept raw rather than dropped, so the table
      // still holds every log of the network.
      args.topics = [...log.topics];
      args.data = log.data;
    }
    return {
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      logIndex: log.index,
      txHash: log.transactionHash,
      address: getAddress(log.address),
      contract,
      name: parsed?.name ?? "Unknown",
      args,
    };
  }
}

/** JSON for one decoded value: uint256 as a decimal string (no float loss), addresses checksummed. */
function toJson(param: ParamType, value: unknown): JSONValue {
  // An indexed string, bytes, array or struct is logged as its keccak hash only.
  if (value instanceof Indexed) return value.hash;
  if (param.isArray()) return (value as unknown[]).map((item) => toJson(param.arrayChildren, item));
  if (param.isTuple()) {
    const items = value as unknown[];
    return Object.fromEntries(param.components.map((component, i) => [component.name || String(i), toJson(component, items[i])]));
  }
  if (param.baseType === "address") return getAddress(value as string);
  if (typeof value === "bigint") return value.toString();
  return value as string | boolean;
}
