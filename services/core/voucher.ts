import { decodeBase64, encodeBase64, getBytes, hexlify } from "ethers";
import { badRequest } from "./errors.js";
import { readAssertion, type VoucherAssertion, voucherAssertion, writeAssertion } from "./voucher-assertion.js";

/**
 * An offline payment voucher: everything a retailer needs to submit a collector's signed EIP-3009
 * authorization later, small enough for a QR code a cheap phone can show. Two forms:
 *
 *   recircle:v1:<base64url of 169 bytes>        a key's signature (a phrase wallet)
 *   recircle:v2:<base64url of about 240 bytes>  a passkey's WebAuthn assertion (a passkey wallet)
 *
 * bytes   field
 * 0..3    programId     uint32, big-endian
 * 4..23   from          the payer's address
 * 24..43  to            the retailer's address
 * 44..59  value         uint128 base units, big-endian (3.4e20 tokens: more than any voucher needs)
 * 60..65  validAfter    uint48 unix seconds
 * 66..71  validBefore   uint48 unix seconds
 * 72..103 nonce         32 bytes
 * v1: 104..168 signature  65 bytes r ‖ s ‖ v, as eth_signTypedData_v4 returns it
 * v2: 104..  assertion    r, s, authenticator data and client data less its challenge (voucher-assertion.ts)
 *
 * The signature is over the token's EIP-712 domain (its name, chain and address), so a voucher can only
 * ever move that program's tokens on that chain; the voucher itself needs no protection. A v2 voucher does
 * not carry the passkey's public key: the account checks it from its own storage, and before the account
 * exists the API recovers it from the signature (services/flows/voucher-signature.ts).
 */
export interface VoucherTerms {
  programId: number;
  from: string;
  to: string;
  value: bigint;
  validAfter: number;
  validBefore: number;
  nonce: string;
}

/** A voucher to encode: its terms and the wallet's signature of them, either kind. */
export interface Voucher extends VoucherTerms {
  signature: string;
}

/** A voucher as read: a key's signature whole, or a passkey's assertion whose challenge the reader puts back. */
export type DecodedVoucher = VoucherTerms & ({ signature: string; assertion?: undefined } | { assertion: VoucherAssertion; signature?: undefined });

const KEY_PREFIX = "recircle:v1:";
const PASSKEY_PREFIX = "recircle:v2:";
const TERMS = 104;
const KEY_LENGTH = 169;
const MAX_UINT128 = 2n ** 128n - 1n;
const MAX_UINT48 = 2 ** 48 - 1;

/** A key's 65-byte signature makes a v1 voucher; anything longer is a passkey wallet's, made a v2 one. */
export function encodeVoucher(voucher: Voucher): string {
  if (!Number.isInteger(voucher.programId) || voucher.programId < 1 || voucher.programId > 0xffffffff) {
    throw new RangeError("programId must fit 32 bits");
  }
  if (voucher.value <= 0n || voucher.value > MAX_UINT128) throw new RangeError("value must fit 128 bits");
  for (const time of [voucher.validAfter, voucher.validBefore]) {
    if (!Number.isInteger(time) || time < 0 || time > MAX_UINT48) throw new RangeError("times must fit 48 bits");
  }
  const isKey = getBytes(voucher.signature).length === 65;
  const signature = isKey ? hex(voucher.signature, 65) : writeAssertion(voucherAssertion(voucher.signature));
  // Plain bytes and a DataView rather than Buffer: a collector's phone encodes vouchers too.
  const bytes = new Uint8Array(TERMS + signature.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, voucher.programId);
  bytes.set(hex(voucher.from, 20), 4);
  bytes.set(hex(voucher.to, 20), 24);
  bytes.set(hex(`0x${voucher.value.toString(16).padStart(32, "0")}`, 16), 44);
  setUint48(view, 60, voucher.validAfter);
  setUint48(view, 66, voucher.validBefore);
  bytes.set(hex(voucher.nonce, 32), 72);
  bytes.set(signature, TERMS);
  return (isKey ? KEY_PREFIX : PASSKEY_PREFIX) + toBase64url(bytes);
}

/** Decodes a voucher, refusing anything that is not exactly one (400 RC_INVALID_VOUCHER). */
export function decodeVoucher(text: string): DecodedVoucher {
  const invalid = (why: string) => badRequest("RC_INVALID_VOUCHER", `not a recircle voucher: ${why}`);
  const isKey = text.startsWith(KEY_PREFIX);
  if (!isKey && !text.startsWith(PASSKEY_PREFIX)) throw invalid(`it must start with ${KEY_PREFIX} or ${PASSKEY_PREFIX}`);
  const body = text.slice(KEY_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalid("it is not base64url");
  const bytes = fromBase64url(body);
  if (toBase64url(bytes) !== body) throw invalid("it is not canonical base64url");
  if (isKey ? bytes.length !== KEY_LENGTH : bytes.length <= TERMS) throw invalid(isKey ? `it must hold ${KEY_LENGTH} bytes` : "it is cut short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (start: number, end: number) => hexlify(bytes.subarray(start, end));
  const value = BigInt(at(44, 60));
  if (value === 0n) throw invalid("its value is zero");
  const terms: VoucherTerms = {
    programId: view.getUint32(0),
    from: at(4, 24),
    to: at(24, 44),
    value,
    validAfter: getUint48(view, 60),
    validBefore: getUint48(view, 66),
    nonce: at(72, 104),
  };
  if (isKey) return { ...terms, signature: at(104, 169) };
  const assertion = readAssertion(bytes.subarray(TERMS));
  if (typeof assertion === "string") throw invalid(assertion);
  return { ...terms, assertion };
}

function hex(value: string, length: number): Uint8Array {
  const digits = value.replace(/^0x/, "");
  if (digits.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(digits)) throw new RangeError(`expected ${length} bytes of hex`);
  return getBytes(`0x${digits}`);
}

const setUint48 = (view: DataView, offset: number, value: number) => {
  view.setUint16(offset, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 2, value % 2 ** 32);
};
const getUint48 = (view: DataView, offset: number) => view.getUint16(offset) * 2 ** 32 + view.getUint32(offset + 2);

const toBase64url = (bytes: Uint8Array) => encodeBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
function fromBase64url(text: string): Uint8Array {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  try {
    return decodeBase64(padded);
  } catch {
    return new Uint8Array(0);
  }
}
