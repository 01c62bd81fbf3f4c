/**
 * A collector's passkey account before it exists: where CollectorAccountFactory will create it, and its first
 * signature wrapped as ERC-6492 so whoever checks it creates it first. Pure, so the phone computes its own address
 * (offline too) exactly as the factory's `accountAddress(qx, qy)` does.
 */
import { AbiCoder, concat, dataLength, dataSlice, getCreate2Address, getCreateAddress, Interface, keccak256 } from "ethers";
import type { PasskeyKey } from "./account-signature.js";

/** ERC-6492's suffix: a signature of a contract account that does not exist yet. */
export const ERC6492_MAGIC = "0x6492649264926492649264926492649264926492649264926492649264926492";
const ACCOUNT_FACTORY = new Interface(["function createAccount(bytes32 qx, bytes32 qy)"]);
const coder = AbiCoder.defaultAbiCoder();

/**
 * The CollectorAccount implementation a factory clones: the factory creates it in its constructor, its first
 * CREATE (a contract's nonce starts at 1, EIP-161).
 */
export const accountImplementationOf = (factory: string) => getCreateAddress({ from: factory, nonce: 1 });

/** Clones.predictDeterministicAddress: CREATE2 of the EIP-1167 proxy of the implementation, salted with the key. */
export function collectorAccountAddress(factory: string, key: PasskeyKey): string {
  const proxy = concat(["0x3d602d80600a3d3981f3363d3d373d3d3d363d73", accountImplementationOf(factory), "0x5af43d82803e903d91602b57fd5bf3"]);
  const salt = keccak256(coder.encode(["bytes32", "bytes32"], [key.qx, key.qy]));
  return getCreate2Address(factory, salt, keccak256(proxy));
}

/** `signature` as the first signature of `key`'s account, not created yet: wrapped with the call that creates it. */
export function wrappedForCreation(factory: string, key: PasskeyKey, signature: string): string {
  const creation = ACCOUNT_FACTORY.encodeFunctionData("createAccount", [key.qx, key.qy]);
  return concat([coder.encode(["address", "bytes", "bytes"], [factory, creation, signature]), ERC6492_MAGIC]);
}

/** The account's own signature inside an ERC-6492 wrapper (`signature` itself when it is not wrapped). */
export function unwrappedFromCreation(signature: string): string {
  const length = dataLength(signature);
  if (length < 32 || dataSlice(signature, length - 32).toLowerCase() !== ERC6492_MAGIC) return signature;
  const [, , inner] = coder.decode(["address", "bytes", "bytes"], dataSlice(signature, 0, length - 32)) as unknown as [string, string, string];
  return inner;
}
