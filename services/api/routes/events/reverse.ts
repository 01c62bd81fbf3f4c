import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { TransactionReceipt } from "ethers";
import { conflict, notFound, RecircleError } from "../../../core/errors.js";
import { formatTokenAmount } from "../../../core/amounts.js";
import { revertDataOf, revertReason } from "../../../chain/revert-reason.js";
import {
  claimReversal,
  confirmReversal,
  failReversal,
  liveReversal,
  markReversalSubmitted,
  type Reversal,
} from "../../../db/reversals.js";
import { RewardToken__factory } from "../../../../types/ethers-contracts/index.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Reversal as ReversalSchema, ReverseBody } from "../../schemas/reversals.js";

const TOKEN = RewardToken__factory.createInterface();

export function presentReversal(r: Reversal) {
  return {
    id: Number(r.id),
    eventId: Number(r.eventId),
    programId: Number(r.programId),
    holder: r.holder,
    reason: r.reason,
    requestedBy: Number(r.requestedBy),
    amount: formatTokenAmount(r.amount),
    burned: r.burned === null ? null : formatTokenAmount(r.burned),
    shortfall: r.shortfall === null ? null : formatTokenAmount(r.shortfall),
    status: r.status,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    createdAt: r.createdAt.toISOString(),
  };
}

/** Burned and shortfall from the token's CreditReversed log in `receipt`, if it has one. */
function outcomeOf(receipt: TransactionReceipt, token: string) {
  const log = receipt.logs
    .filter((l) => l.address.toLowerCase() === token.toLowerCase())
    .map((l) => TOKEN.parseLog({ topics: [...l.topics], data: l.data }))
    .find((parsed) => parsed?.name === "CreditReversed");
  if (!log) return undefined;
  return { burned: log.args.burned as bigint, shortfall: log.args.shortfall as bigint, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

const reverseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * A reversal left `submitted` (the answer was lost: a timeout, a restart) is finished from its receipt when
   * asked again, so the admin sees what the chain did instead of a bare 409. Undefined when it is not that case.
   */
  async function finishSubmitted(eventId: bigint) {
    const live = await liveReversal(app.sql, eventId);
    if (live?.status !== "submitted" || !live.txHash) return undefined;
    const receipt = await app.chain.provider.getTransactionReceipt(live.txHash);
    const outcome = receipt?.status === 1 ? outcomeOf(receipt, live.token) : undefined;
    return outcome ? confirmReversal(app.sql, live.id, outcome) : undefined;
  }

  app.post(
    "/events/:id/reverse",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Reverse a confirmed credit (a mistaken weighing): burn it back from the holder, or what is left of it",
        description:
          "Sends RewardToken.reverseCredit with the operator's key and answers once it is mined, with what was burned " +
          "and the shortfall the holder had already spent. The original credit stays in the history beside the reversal.",
        tags: ["review"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: ReverseBody,
        response: { 200: ReversalSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const eventId = BigInt(request.params.id);
      const claimed = await claimReversal(app.sql, { eventId, reason: request.body.reason, requestedBy: memberOf(request).id });
      if (claimed === "not_found") throw notFound("RC_EVENT_NOT_FOUND", `no event ${eventId}`);
      if (claimed === "not_confirmed") throw conflict("RC_EVENT_NOT_CONFIRMED", `event ${eventId} is not confirmed on chain`);
      if (claimed === "already_reversed") {
        const finished = await finishSubmitted(eventId);
        if (finished) return presentReversal(finished);
        throw conflict("RC_EVENT_ALREADY_REVERSED", `event ${eventId} is already reversed`);
      }

      const data = TOKEN.encodeFunctionData("reverseCredit", [eventId, claimed.holder, claimed.amount]);
      let hash: string;
      try {
        // The hash is stored before the broadcast (ChainWriter's outbox rule); a refused send leaves nothing on chain.
        ({ hash } = await app.chain.writer.send({ to: claimed.token, data }, (sent) => markReversalSubmitted(app.sql, claimed.id, sent.hash)));
      } catch (error) {
        const code = revertReason(revertDataOf(error), [TOKEN], "RC_REVERSAL_FAILED");
        await failReversal(app.sql, claimed.id, code);
        if (code === "RC_REWARD_TOKEN_CREDIT_ALREADY_REVERSED") throw conflict("RC_EVENT_ALREADY_REVERSED", `event ${eventId} is already reversed on chain`);
        throw new RecircleError(code, 502, `the chain refused the reversal of event ${eventId}`);
      }
      const receipt = await app.chain.waitForReceipt(hash);
      if (!receipt) throw new RecircleError("RC_REVERSAL_UNCONFIRMED", 504, `reversal ${hash} is not mined yet`);
      if (receipt.status !== 1) {
        await failReversal(app.sql, claimed.id, "RC_REVERSAL_REVERTED");
        throw new RecircleError("RC_REVERSAL_REVERTED", 502, `reversal ${hash} reverted`);
      }
      const outcome = outcomeOf(receipt, claimed.token);
      if (!outcome) throw new RecircleError("RC_REVERSAL_UNCONFIRMED", 502, `reversal ${hash} has no CreditReversed log`);
      const confirmed = await confirmReversal(app.sql, claimed.id, outcome);
      if (!confirmed) throw conflict("RC_EVENT_ALREADY_REVERSED", `event ${eventId} was confirmed by another request`);
      return presentReversal(confirmed);
    },
  );
};

export default reverseRoutes;
