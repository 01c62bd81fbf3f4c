/**
 * A mint batcher process that dies by SIGKILL at a chosen moment, for the crash tests. Run with
 * `node --import tsx crashing-batcher.ts '<json>'`; the JSON names the database, chain, deployment and mode:
 * - "after-send": a real MintBatcher records its first batch, broadcasts it, and dies before any receipt;
 * - "unrecorded": sends a mintBatch for the given events straight from the operator key, waits until it is
 *   mined, and dies without writing anything (as a batcher that crashed before recording its batch would).
 */
import type { NetworkDeployment } from "../../services/chain/address-book.js";
import { MintBatcher } from "../../services/engines/mint-batcher.js";
import { connectChain } from "../../services/chain/network.js";
import { createSql } from "../../services/db/sql.js";

interface Orders {
  mode: "after-send" | "unrecorded";
  databaseUrl: string;
  chainUrl: string;
  operatorKey: string;
  deployment: NetworkDeployment;
  batchMax: number;
  events?: { id: string; beneficiary: string; credit: string; token: string }[];
}

const orders = JSON.parse(process.argv[2]!) as Orders;
const chain = await connectChain(orders.chainUrl, orders.deployment, orders.operatorKey);
const die = () => process.kill(process.pid, "SIGKILL");

if (orders.mode === "after-send") {
  const sql = createSql(orders.databaseUrl, { max: 2 });
  const batcher = new MintBatcher(sql, chain, {
    batchMax: orders.batchMax,
    batchMs: 0,
    observe: { batchSent: die },
  });
  batcher.start();
} else {
  const events = orders.events!;
  const token = chain.token(events[0]!.token);
  const request = await token.mintBatch.populateTransaction(
    events.map((e) => e.beneficiary),
    events.map((e) => BigInt(e.credit)),
    events.map((e) => BigInt(e.id)),
  );
  const receipt = await chain.writer.sendAndWait(request);
  process.stdout.write(`${receipt.hash}\n`);
  die();
}
