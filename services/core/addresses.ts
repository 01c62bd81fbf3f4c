import { getAddress, ZeroAddress } from "ethers";
import { badRequest } from "./errors.js";

/**
 * `raw` as the checksummed address of a wallet that may hold tokens. The token skips a credit to the zero
 * address, which would leave its event submitted for ever, so it is refused here, before anything is stored.
 */
export function holderAddress(raw: string): string {
  const address = getAddress(raw.toLowerCase());
  if (address === ZeroAddress) throw badRequest("RC_INVALID_ADDRESS", "the zero address cannot hold tokens");
  return address;
}
