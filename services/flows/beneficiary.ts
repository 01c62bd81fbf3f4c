/**
 * Whom a drop-off credits: a registered wallet (`collector`) or a phone-only collector (`phone`). A phone
 * not yet claimed credits its escrow placeholder (the event is recorded `escrowed`, nothing minted); once
 * claimed, its wallet directly.
 */
import { checkedAddress } from "../core/addresses.js";
import { badRequest, notFound } from "../core/errors.js";
import type { CountryCode } from "libphonenumber-js";
import { normalisePhone, phoneKey } from "../core/phone.js";
import { escrowBeneficiary, findPhoneCollector, releaseLateEscrow } from "../db/phone-collectors.js";
import type { Sql } from "../db/sql.js";
import type { Minter } from "./accept-event.js";
import type { Lookups } from "./lookups.js";

/** What resolving a drop-off's beneficiary needs; `phoneSalt` throws (503) where phones are not configured. */
export interface BeneficiaryDeps {
  sql: Sql;
  lookups: Lookups;
  phoneSalt(): string;
}

export interface Beneficiary {
  beneficiary: string;
  collectorId: bigint | null;
  /** Set for a phone collector's drop-off; the key stands in for the number everywhere after this. */
  phoneKey?: string;
  /** The body the Idempotency-Key fingerprint is taken of: the number replaced by its key, so not even an
   * unsalted hash of it is stored. */
  fingerprintBody: unknown;
}

export async function collectionBeneficiary(
  deps: BeneficiaryDeps,
  body: { collector?: string | undefined; phone?: string | undefined },
  /** The program's country: a local number (0812…, 0917…) is read in it. */
  country: string,
): Promise<Beneficiary> {
  if ((body.collector === undefined) === (body.phone === undefined)) {
    throw badRequest("RC_VALIDATION", "body must have exactly one of collector and phone");
  }
  if (body.collector !== undefined) {
    const address = checkedAddress(body.collector);
    const collector = await deps.lookups.collector(address);
    if (!collector) throw notFound("RC_COLLECTOR_NOT_FOUND", `no collector registered with address ${address}`);
    return { beneficiary: address, collectorId: collector.id, fingerprintBody: body };
  }
  const key = phoneKey(deps.phoneSalt(), normalisePhone(body.phone!, country as CountryCode));
  const phone = await findPhoneCollector(deps.sql, key);
  if (!phone) throw notFound("RC_COLLECTOR_NOT_FOUND", "no collector registered with this phone number");
  const fingerprintBody = { ...body, phone: key };
  if (phone.claimedWallet === null) {
    return { beneficiary: escrowBeneficiary(key), collectorId: null, phoneKey: key, fingerprintBody };
  }
  const collector = await deps.lookups.collector(phone.claimedWallet);
  return { beneficiary: phone.claimedWallet, collectorId: collector?.id ?? null, phoneKey: key, fingerprintBody };
}

/** After an escrowed drop-off is committed: if a claim landed meanwhile, release it too (see releaseLateEscrow). */
export async function releaseIfClaimedMeanwhile(deps: { sql: Sql; minter: Minter }, key: string) {
  const released = await releaseLateEscrow(deps.sql, key);
  if (released.some((event) => event.status === "pending")) deps.minter.notify();
}
