import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatDecimal } from "../../../core/amounts.js";
import { announceWithdrawal, cancelWithdrawal, readDepositWithdrawal, withdrawDeposit } from "../../../flows/withdraw-deposit.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import {
  DepositWithdrawal,
  WithdrawalAnnounced,
  WithdrawalCancelled,
  WithdrawalSignatureBody,
  Withdrawn,
} from "../../schemas/withdrawals.js";

/**
 * A sponsor takes back what no one redeemed: announce (signed), cancel (signed), and after the program's notice
 * withdraw. The operator relays each; redemptions may draw on the deposit until it is withdrawn.
 */
const withdrawalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ["sponsors"];
  const security = [{ apiKey: [] }];

  app.get(
    "/deposits/:id",
    {
      onRequest: app.requireMember("sponsor", "admin"),
      schema: {
        summary: "A deposit as the vault holds it: what is left, its withdrawal, the program's notice period, the sponsor's next nonce",
        tags,
        security,
        params: IdParams,
        response: { 200: DepositWithdrawal, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const deposit = await readDepositWithdrawal(operatorWriteDeps(app), memberOf(request), Number(request.params.id));
      const stable = (value: bigint) => formatDecimal(value, app.stablecoinDecimals);
      return { ...deposit, amount: stable(deposit.amount), remaining: stable(deposit.remaining) };
    },
  );

  app.post(
    "/deposits/:id/withdrawal",
    {
      onRequest: app.requireMember("sponsor"),
      schema: {
        summary: "Announce the withdrawal of what is left of a deposit, with the sponsor's AnnounceWithdrawal signature",
        description: "Redemptions may still draw on the deposit during the program's notice period; then POST /v1/deposits/:id/withdraw.",
        tags,
        security,
        params: IdParams,
        body: WithdrawalSignatureBody,
        response: { 201: WithdrawalAnnounced, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const announced = await announceWithdrawal(operatorWriteDeps(app), memberOf(request), Number(request.params.id), request.body);
      const { result: _result, ...answer } = announced;
      return reply.status(201).send(answer);
    },
  );

  app.post(
    "/deposits/:id/withdrawal/cancel",
    {
      onRequest: app.requireMember("sponsor"),
      schema: {
        summary: "Cancel an announced withdrawal, with the sponsor's CancelWithdrawal signature",
        tags,
        security,
        params: IdParams,
        body: WithdrawalSignatureBody,
        response: { 200: WithdrawalCancelled, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const { result: _result, ...answer } = await cancelWithdrawal(operatorWriteDeps(app), memberOf(request), Number(request.params.id), request.body);
      return answer;
    },
  );

  app.post(
    "/deposits/:id/withdraw",
    {
      onRequest: app.requireMember("sponsor", "admin"),
      schema: {
        summary: "Withdraw what is left of a deposit to its sponsor, once the announced notice has passed",
        tags,
        security,
        params: IdParams,
        response: { 200: Withdrawn, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const withdrawn = await withdrawDeposit(operatorWriteDeps(app), memberOf(request), Number(request.params.id));
      return { ...withdrawn, amount: formatDecimal(withdrawn.amount, app.stablecoinDecimals) };
    },
  );
};

export default withdrawalRoutes;
