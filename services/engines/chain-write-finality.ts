import { type ChainWrite, includedWritesUpTo, markWriteConfirmed, writesInBlock } from "../db/chain-writes.js";
import { blockRecords, type FinalityLedger } from "../db/finality.js";
import type { Chain } from "../chain/network.js";
import type { Sql } from "../db/sql.js";
import type { ChainWriteKind } from "./chain-write-kind.js";

/**
 * The operator's transaction outbox between inclusion and finality (see db/finality.ts). Unlike credits, each
 * write's kind has a say: the state its `settle` wrote follows the transaction to another block or back to
 * waiting (`moved`, `reopen`), and what only a confirmation may tell is told once (`confirmed`). Each write
 * changes in one database transaction with its kind's state.
 */
export function chainWriteLedger(sql: Sql, chain: Chain, kindOf: (write: ChainWrite) => ChainWriteKind): FinalityLedger {
  const records = blockRecords(sql, "chain_writes");
  return {
    ...records,
    name: "operator writes",
    async moveToBlock(txHash, fromBlock, block) {
      await sql.begin(async (tx) => {
        for (const write of await writesInBlock(tx, txHash, fromBlock)) await kindOf(write).moved?.(tx, write.payload, block);
        await tx`
          update chain_writes set status = 'included', block_number = ${block.number}, block_hash = ${block.hash}, updated_at = now()
          where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}`;
      });
    },
    async reopen(txHash, fromBlock) {
      await sql.begin(async (tx) => {
        for (const write of await writesInBlock(tx, txHash, fromBlock)) await kindOf(write).reopen?.(tx, write.payload);
        await tx`
          update chain_writes set status = 'submitted', block_number = null, block_hash = null, updated_at = now()
          where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}`;
      });
    },
    async confirmUpTo(deepest) {
      for (const write of await includedWritesUpTo(sql, deepest)) {
        await sql.begin(async (tx) => {
          // Only the first to confirm it tells: another watcher's round, or a reorganisation, may come between.
          if (!(await markWriteConfirmed(tx, write.id))) return;
          await kindOf(write).confirmed?.(tx, chain, write.payload, { hash: write.txHash!, blockNumber: Number(write.blockNumber) });
        });
      }
    },
  };
}
