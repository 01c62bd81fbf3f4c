/**
 * Phone-only collectors and their escrow (migration 008): drop-offs wait as `escrowed` events under the
 * placeholder beneficiary `phone:<phone_key>` until a one-time claim code moves them to a wallet.
 */
import { CLAIM_CODE_MAX_ATTEMPTS, CLAIM_CODE_TTL_S } from "../core/phone.js";
import { registerCollector } from "./collectors.js";
import type { Queryable, Sql } from "./sql.js";

export interface PhoneCollector {
  id: bigint;
  phoneKey: string;
  displayName: string | null;
  registeredBy: bigint;
  claimedWallet: string | null;
}

const COLUMNS = `id, phone_key as "phoneKey", display_name as "displayName", registered_by as "registeredBy",
  claimed_wallet as "claimedWallet"`;

/** The beneficiary an escrowed event carries until its phone is claimed. */
export const escrowBeneficiary = (phoneKey: string) => `phone:${phoneKey}`;

/** Registers a phone key; one already registered is returned as it is, with `created` false. */
export async function registerPhoneCollector(
  db: Queryable,
  collector: { phoneKey: string; displayName: string | null; registeredBy: bigint },
): Promise<{ collector: PhoneCollector; created: boolean }> {
  const [inserted] = await db<PhoneCollector[]>`
    insert into phone_collectors (phone_key, display_name, registered_by)
    values (${collector.phoneKey}, ${collector.displayName}, ${String(collector.registeredBy)})
    on conflict (phone_key) do nothing
    returning ${db.unsafe(COLUMNS)}`;
  if (inserted) return { collector: inserted, created: true };
  return { collector: (await findPhoneCollector(db, collector.phoneKey))!, created: false };
}

export async function findPhoneCollector(db: Queryable, phoneKey: string): Promise<PhoneCollector | undefined> {
  const [row] = await db<PhoneCollector[]>`select ${db.unsafe(COLUMNS)} from phone_collectors where phone_key = ${phoneKey}`;
  return row;
}

/** Stores a new code's hash; any earlier open code of the phone dies, so only the last one read out works. */
export async function issueClaimCode(sql: Sql, phoneCollectorId: bigint, codeHash: string, issuedBy: bigint) {
  return sql.begin(async (tx) => {
    await tx`update claim_codes set used_at = now() where phone_collector_id = ${String(phoneCollectorId)} and used_at is null`;
    const [row] = await tx<{ expiresAt: Date }[]>`
      insert into claim_codes (phone_collector_id, code_hash, issued_by, expires_at)
      values (${String(phoneCollectorId)}, ${codeHash}, ${String(issuedBy)}, now() + make_interval(secs => ${CLAIM_CODE_TTL_S}))
      returning expires_at as "expiresAt"`;
    return row!.expiresAt;
  });
}

export type ClaimOutcome =
  | { outcome: "claimed"; collectorId: bigint; released: { id: bigint; status: string }[] }
  | { outcome: "no-code" | "expired" | "locked" | "already-claimed" }
  | { outcome: "wrong"; attemptsLeft: number };

/**
 * Checks `matches` against the phone's open code and, when it holds, claims the escrow to `wallet` in one
 * transaction. A wrong code is counted (and committed: the answer is not an exception) and the code burns
 * after CLAIM_CODE_MAX_ATTEMPTS of them. The phone row is locked first, so two claims run one at a time.
 */
export async function claimEscrow(
  sql: Sql,
  claim: { phoneKey: string; wallet: string; matches: (codeHash: string) => boolean },
): Promise<ClaimOutcome> {
  return sql.begin(async (tx): Promise<ClaimOutcome> => {
    const [phone] = await tx<PhoneCollector[]>`
      select ${tx.unsafe(COLUMNS)} from phone_collectors where phone_key = ${claim.phoneKey} for update`;
    if (!phone) return { outcome: "no-code" };
    if (phone.claimedWallet !== null) return { outcome: "already-claimed" };
    const [code] = await tx<{ id: bigint; codeHash: string; attempts: number; expired: boolean }[]>`
      select id, code_hash as "codeHash", attempts, expires_at <= now() as expired from claim_codes
      where phone_collector_id = ${String(phone.id)} and used_at is null order by id desc limit 1 for update`;
    if (!code) return { outcome: "no-code" };
    if (code.expired) return { outcome: "expired" };
    if (code.attempts >= CLAIM_CODE_MAX_ATTEMPTS) return { outcome: "locked" };
    if (!claim.matches(code.codeHash)) {
      await tx`update claim_codes set attempts = attempts + 1 where id = ${String(code.id)}`;
      const attemptsLeft = CLAIM_CODE_MAX_ATTEMPTS - code.attempts - 1;
      return attemptsLeft > 0 ? { outcome: "wrong", attemptsLeft } : { outcome: "locked" };
    }
    await tx`update claim_codes set used_at = now() where id = ${String(code.id)}`;
    await tx`update phone_collectors set claimed_wallet = ${claim.wallet}, claimed_at = now() where id = ${String(phone.id)}`;
    // The wallet becomes an ordinary collector, registered by the point that registered the phone, so its
    // later drop-offs and its ledger read like anyone else's.
    const { collector } = await registerCollector(tx, { address: claim.wallet, displayName: phone.displayName, registeredBy: phone.registeredBy });
    const released = await moveEscrow(tx, claim.phoneKey, claim.wallet, collector.id);
    return { outcome: "claimed", collectorId: collector.id, released };
  });
}

/**
 * Releases escrowed events recorded after the phone was claimed (a drop-off racing the claim): call it
 * after such an event is committed. `for share` waits for a claim in flight, so either the claim's own
 * update saw the event or this read sees the claim.
 */
export async function releaseLateEscrow(sql: Sql, phoneKey: string): Promise<{ id: bigint; status: string }[]> {
  return sql.begin(async (tx): Promise<{ id: bigint; status: string }[]> => {
    const [phone] = await tx<{ claimedWallet: string | null }[]>`
      select claimed_wallet as "claimedWallet" from phone_collectors where phone_key = ${phoneKey} for share`;
    if (!phone?.claimedWallet) return [];
    const [collector] = await tx<{ id: bigint }[]>`select id from collectors where address = ${phone.claimedWallet}`;
    return moveEscrow(tx, phoneKey, phone.claimedWallet, collector!.id);
  });
}

/** Every event under the phone's placeholder goes to the wallet; escrowed ones become `pending` to mint. */
async function moveEscrow(db: Queryable, phoneKey: string, wallet: string, collectorId: bigint) {
  return await db<{ id: bigint; status: string }[]>`
    update events set beneficiary = ${wallet}, collector_id = ${String(collectorId)}, updated_at = now(),
      status = case when status = 'escrowed' then 'pending' else status end
    where beneficiary = ${escrowBeneficiary(phoneKey)}
    returning id, status`;
}
