import { holderAddress } from "../core/addresses.js";
import { badRequest } from "../core/errors.js";
import { maskPhone, phoneKey } from "../core/phone.js";
import { registerCollector as insertCollector } from "../db/collectors.js";
import type { Member } from "../db/members.js";
import { registerPhoneCollector } from "../db/phone-collectors.js";
import type { Sql } from "../db/sql.js";
import type { Lookups } from "./lookups.js";
import { readPhone } from "./read-phone.js";

export interface RegisterCollectorDeps {
  sql: Sql;
  lookups: Lookups;
  /** The key phone numbers are hashed under (PHONE_SALT); throws when the deployment has none. */
  phoneSalt(): string;
}

export interface CollectorRegistration {
  address?: string;
  phone?: string;
  /** The program whose country a local `phone` is read in (Indonesia's without one). */
  programId?: number;
  displayName?: string;
}

/**
 * A point registers a collector: a wallet, or a phone for a collector without a smartphone (named back by a
 * masked number, never the number). Registering again is no error: `created` says whether it was new.
 */
export async function registerCollector(deps: RegisterCollectorDeps, point: Member, registration: CollectorRegistration) {
  const { address: given, phone } = registration;
  if ((given === undefined) === (phone === undefined)) throw badRequest("RC_VALIDATION", "body must have exactly one of address and phone");
  const displayName = registration.displayName ?? null;
  if (phone !== undefined) {
    const number = await readPhone(deps.lookups, phone, registration.programId);
    const { collector, created } = await registerPhoneCollector(deps.sql, {
      phoneKey: phoneKey(deps.phoneSalt(), number),
      displayName,
      registeredBy: point.id,
    });
    return { created, collector: { id: Number(collector.id), phone: maskPhone(number), displayName: collector.displayName } };
  }
  const address = holderAddress(given!);
  const { collector, created } = await insertCollector(deps.sql, { address, displayName, registeredBy: point.id });
  return { created, collector: { id: Number(collector.id), address: collector.address, displayName: collector.displayName } };
}
