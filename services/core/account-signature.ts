/**
 * A contract account's signature as the token checks it (contracts/RewardToken.sol `_isValidSignature`,
 * OpenZeppelin's WebAuthn.verify): a passkey's WebAuthn assertion, ABI-encoded as WebAuthn.WebAuthnAuth, perhaps
 * wrapped as ERC-6492 for an account not created yet. Checked here on the same bytes, so the API refuses early
 * what the chain would refuse.
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import { AbiCoder, dataLength, dataSlice, getBytes, Interface } from "ethers";

/** A key's ECDSA signature: 65 bytes. Anything longer is a contract account's. */
export const ECDSA_SIGNATURE_BYTES = 65;
const ERC6492_MAGIC = "0x6492649264926492649264926492649264926492649264926492649264926492";
/** P-256's group order: the token refuses s above n/2 (malleability). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKUP_STATE = 0x10;
const CREATE_ACCOUNT = new Interface(["function createAccount(bytes32 qx, bytes32 qy)"]);
const coder = AbiCoder.defaultAbiCoder();

/** A P-256 public key, as the account stores it. */
export interface PasskeyKey {
  qx: string;
  qy: string;
}

/** A signature taken apart: the account's own, and, when wrapped as ERC-6492, the account to create first. */
export interface AccountSignature {
  inner: string;
  creation?: { factory: string; key: PasskeyKey } | undefined;
}

/** Whether `signature` (hex) is a key's rather than a contract account's. */
export const isKeySignature = (signature: string) => dataLength(signature) === ECDSA_SIGNATURE_BYTES;

/**
 * Unwraps an ERC-6492 signature. A wrapper that asks for anything but `createAccount(qx, qy)` is refused
 * (undefined), as the token refuses it; an unwrapped signature is the account's own.
 */
export function parseAccountSignature(signature: string): AccountSignature | undefined {
  if (dataLength(signature) < 32 || dataSlice(signature, dataLength(signature) - 32).toLowerCase() !== ERC6492_MAGIC) {
    return { inner: signature };
  }
  try {
    const [factory, calldata, inner] = coder.decode(["address", "bytes", "bytes"], dataSlice(signature, 0, dataLength(signature) - 32));
    if (dataLength(calldata) !== 68) return undefined;
    const call = CREATE_ACCOUNT.parseTransaction({ data: calldata });
    if (!call) return undefined;
    return { inner, creation: { factory, key: { qx: call.args.qx, qy: call.args.qy } } };
  } catch {
    return undefined;
  }
}

/**
 * Whether `inner` is `key`'s WebAuthn assertion of `digest` with the person verified (the screen lock), by the
 * rules of OpenZeppelin's WebAuthn.verify: type "webauthn.get", the challenge the digest in base64url, user present
 * and verified, backup state only when eligible, s at most n/2, and the P-256 signature over
 * sha256(authenticatorData ‖ sha256(clientDataJSON)).
 */
export function isPasskeyAssertion(digest: string, inner: string, key: PasskeyKey): boolean {
  let fields;
  try {
    fields = coder.decode(["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"], inner);
  } catch {
    return false;
  }
  const [r, s, challengeIndex, typeIndex, authenticatorDataHex, clientDataJSON] = fields as unknown as [string, string, bigint, bigint, string, string];
  const authenticatorData = getBytes(authenticatorDataHex);
  if (authenticatorData.length <= 36) return false;
  const json = new TextEncoder().encode(clientDataJSON);
  const at = (index: bigint, expected: string) => {
    const bytes = new TextEncoder().encode(expected);
    if (index > BigInt(json.length - bytes.length)) return false;
    return Buffer.from(json.subarray(Number(index), Number(index) + bytes.length)).equals(Buffer.from(bytes));
  };
  if (!at(typeIndex, '"type":"webauthn.get"')) return false;
  if (!at(challengeIndex, `"challenge":"${Buffer.from(getBytes(digest)).toString("base64url")}"`)) return false;
  const flags = authenticatorData[32]!;
  if ((flags & FLAG_USER_PRESENT) === 0 || (flags & FLAG_USER_VERIFIED) === 0) return false;
  if ((flags & FLAG_BACKUP_STATE) !== 0 && (flags & FLAG_BACKUP_ELIGIBLE) === 0) return false;
  if (BigInt(s) === 0n || BigInt(s) > P256_N / 2n || BigInt(r) === 0n || BigInt(r) >= P256_N) return false;
  const clientHash = createHash("sha256").update(json).digest();
  const message = Buffer.concat([authenticatorData, clientHash]);
  try {
    const publicKey = createPublicKey({
      format: "jwk",
      key: { kty: "EC", crv: "P-256", x: Buffer.from(getBytes(key.qx)).toString("base64url"), y: Buffer.from(getBytes(key.qy)).toString("base64url") },
    });
    return verify("sha256", message, { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.concat([getBytes(r), getBytes(s)]));
  } catch {
    return false;
  }
}
