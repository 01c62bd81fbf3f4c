/** Credits between inclusion and finality (see finality.ts); a credit's confirmation tells its issuer's webhooks. */
import { blockRecords, type FinalityLedger } from "./finality.js";
import type { Sql } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

export function creditLedger(sql: Sql): FinalityLedger {
  const records = blockRecords(sql, "events");
  return {
    ...records,
    name: "credits",
    async reopen(txHash, fromBlock) {
      await records.reopen(txHash, fromBlock);
      await sql`update mint_batches set status = 'submitted', block_number = null where tx_hash = ${txHash}`;
    },
    async confirmUpTo(deepest) {
      await sql`
        with changed as (
          update events set status = 'confirmed', updated_at = now()
          where status = 'included' and block_number <= ${deepest}
          returning id, program_id, issuer_id, beneficiary, credit, tx_hash, block_number),
        webhook as (
          select jsonb_build_object('eventId', id, 'programId', program_id, 'beneficiary', beneficiary,
            'tokens', trim_scale(credit * 0.000000000000000001)::text, 'txHash', tx_hash,
            'blockNumber', block_number) as payload, array[issuer_id] as member_ids
          from changed)
        ${webhookOutboxInsert(sql, "credit.confirmed")}`;
    },
  };
}
