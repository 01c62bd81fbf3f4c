import { getAddress, ZeroAddress } from "ethers";
import { badRequest } from "./errors.js";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Whether a 0x-prefixed 40-hex-digit address carries no checksum to check (all lower-case or all upper-case hex
 * digits) or a valid EIP-55 checksum. A mixed-case address whose checksum fails is a mistyped address, not one to
 * lower-case and admit. Anything not shaped like an address passes: the shape is the schema's pattern to refuse.
 */
export function checksumValid(raw: string): boolean {
  if (!HEX_ADDRESS.test(raw)) return true;
  const digits = raw.slice(2);
  if (digits === digits.toLowerCase() || digits === digits.toUpperCase()) return true;
  return getAddress(raw.toLowerCase()) === raw;
}

/** `raw` in its EIP-55 checksum form; a mixed-case address with a wrong checksum is refused (RC_BAD_CHECKSUM). */
export function checkedAddress(raw: string): string {
  if (!HEX_ADDRESS.test(raw)) throw badRequest("RC_INVALID_ADDRESS", "an address is 0x and 40 hex digits");
  if (!checksumValid(raw)) {
    throw badRequest("RC_BAD_CHECKSUM", `${raw} has a wrong EIP-55 checksum: send it all lower-case or correctly checksummed`);
  }
  return getAddress(raw.toLowerCase());
}

/**
 * `raw` as the checksummed address of a wallet that may hold tokens. The token skips a credit to the zero
 * address, which would leave its event submitted for ever, so it is refused here, before anything is stored.
 */
export function holderAddress(raw: string): string {
  const address = checkedAddress(raw);
  if (address === ZeroAddress) throw badRequest("RC_INVALID_ADDRESS", "the zero address cannot hold tokens");
  return address;
}
