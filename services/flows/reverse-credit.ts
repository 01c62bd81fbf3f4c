import { conflict, notFound, RecircleError } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { recordAudit } from "../db/audit.js";
import { type ChainWrite, type JsonObject, liveChainWrite, recordChainWrite } from "../db/chain-writes.js";
import {
  claimReversal,
  confirmReversal,
  failReversal,
  findReversal,
  includeReversal,
  liveReversal,
  moveReversal,
  type Reversal,
} from "../db/reversals.js";
import type { ChainWriteKind, Mined } from "../engines/chain-write-kind.js";
import { RewardToken__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

const TOKEN = RewardToken__factory.createInterface();

interface ReversePayload extends JsonObject {
  reversalId: string;
  eventId: string;
  token: string;
  holder: string;
  amount: string;
}

/**
 * Reverses a confirmed credit (a mistaken weighing): the reversal is claimed and its `reverseCredit` recorded
 * as an operator write in one transaction, and the answer waits for the sender to settle it. Asked again
 * while a reversal of the event is under way, it follows that one instead of starting another. Audited as
 * `event.reverse` in the transaction that claims it.
 */
export async function reverseCredit(
  deps: OperatorWriteDeps,
  request: { eventId: bigint; reason: string; requestedBy: bigint },
): Promise<Reversal> {
  const { eventId } = request;
  const recorded = await deps.sql.begin(async (tx) => {
    const claimed = await claimReversal(tx, request);
    if (typeof claimed === "string") return claimed;
    const payload: ReversePayload = {
      reversalId: String(claimed.id),
      eventId: String(eventId),
      token: claimed.token,
      holder: claimed.holder,
      amount: String(claimed.amount),
    };
    await recordAudit(tx, {
      actorId: request.requestedBy,
      action: "event.reverse",
      subject: `event:${eventId}`,
      before: null,
      after: { reversalId: String(claimed.id), amount: String(claimed.amount), holder: claimed.holder, reason: request.reason },
    });
    return { reversal: claimed, write: await recordChainWrite(tx, { kind: REVERSE_CREDIT.kind, subject: String(claimed.id), payload }) };
  });
  if (recorded === "not_found") throw notFound("RC_EVENT_NOT_FOUND", `no event ${eventId}`);
  if (recorded === "not_confirmed") throw conflict("RC_EVENT_NOT_CONFIRMED", `event ${eventId} is not confirmed on chain`);
  let write: ChainWrite | undefined;
  let reversal: Reversal;
  if (recorded === "already_reversed") {
    const live = await liveReversal(deps.sql, eventId);
    write = live && live.status !== "confirmed" && live.status !== "included" ? await liveChainWrite(deps.sql, REVERSE_CREDIT.kind, String(live.id)) : undefined;
    if (!live || !write) throw conflict("RC_EVENT_ALREADY_REVERSED", `event ${eventId} is already reversed`);
    reversal = live;
  } else {
    ({ write, reversal } = recorded);
  }
  await settledWrite(deps, write, `the reversal of event ${eventId}`, (code) =>
    code === "RC_REWARD_TOKEN_CREDIT_ALREADY_REVERSED"
      ? conflict("RC_EVENT_ALREADY_REVERSED", `event ${eventId} is already reversed on chain`)
      : new RecircleError(code, 502, `the chain refused the reversal of event ${eventId}`),
  );
  return (await findReversal(deps.sql, reversal.id))!;
}

/** Burned and shortfall from the token's CreditReversed log, if the transaction has one. */
function outcomeOf(mined: Mined, token: string) {
  const log = mined.logs
    .filter((l) => l.address.toLowerCase() === token.toLowerCase())
    .map((l) => TOKEN.parseLog({ topics: [...l.topics], data: l.data }))
    .find((parsed) => parsed?.name === "CreditReversed");
  if (!log) return undefined;
  return { burned: log.args.burned as bigint, shortfall: log.args.shortfall as bigint, txHash: mined.hash, blockNumber: mined.blockNumber };
}

export const REVERSE_CREDIT: ChainWriteKind = {
  kind: "credit.reverse",
  errors: [TOKEN],
  revertedCode: "RC_REVERSAL_REVERTED",
  request(chain: Chain, payload) {
    const p = payload as ReversePayload;
    return chain.token(p.token).reverseCredit.populateTransaction(BigInt(p.eventId), p.holder, BigInt(p.amount));
  },
  async doneOnChain(chain, payload) {
    const p = payload as ReversePayload;
    const token = chain.token(p.token);
    if (!(await token.isReversed(BigInt(p.eventId)))) return undefined;
    const filter = token.filters.CreditReversed(BigInt(p.eventId));
    const log = await newestLogSince(chain, chain.deployment.startBlock, (from, to) => token.queryFilter(filter, from, to));
    if (!log) throw new Error(`event ${p.eventId} is reversed on chain but has no CreditReversed log`);
    return { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
  },
  async settle(tx, _chain, payload, mined) {
    const p = payload as ReversePayload;
    const outcome = outcomeOf(mined, p.token);
    if (!outcome) throw new Error(`reversal ${mined.hash} has no CreditReversed log`);
    await includeReversal(tx, BigInt(p.reversalId), outcome);
    return { reversalId: p.reversalId };
  },
  async confirmed(tx, _chain, payload) {
    await confirmReversal(tx, BigInt((payload as ReversePayload).reversalId));
  },
  async moved(tx, payload, block) {
    await moveReversal(tx, BigInt((payload as ReversePayload).reversalId), block.number);
  },
  async reopen(tx, payload) {
    await moveReversal(tx, BigInt((payload as ReversePayload).reversalId), null);
  },
  async fail(tx, payload, code) {
    await failReversal(tx, BigInt((payload as ReversePayload).reversalId), code);
  },
};
