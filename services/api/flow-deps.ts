/**
 * What the API hands the flows (services/flows/): the app's shared dependencies, named one by one, so a
 * flow never sees the FastifyInstance. Built once per route plugin.
 */
import type { FastifyInstance } from "fastify";
import type { Chain } from "../chain/network.js";
import type { OperatorWriteDeps } from "../flows/operator-write.js";
import type { DropOffDeps } from "../flows/accept-drop-off.js";
import type { PaymentDeps } from "../flows/accept-payment.js";
import type { RedemptionDeps } from "../flows/accept-redemption.js";
import type { TriageDeps } from "../flows/event-triage.js";
import type { Config } from "../config.js";

/**
 * Accepting events (drop-offs, loyalty events) and claiming escrow: what becomes mintable is told to the batcher;
 * the events are written by the app's one recorder, so drop-offs and loyalty events arriving together share a transaction.
 */
export function eventDeps(app: FastifyInstance): DropOffDeps {
  return {
    sql: app.sql,
    lookups: app.lookups,
    minter: { notify: () => app.notifyMinter() },
    metrics: app.metrics,
    recorder: app.eventRecorder,
    phoneSalt: () => app.phoneSalt(),
  };
}

/** Accepting a payment: checked against the chain, settled by the payments worker. */
export function paymentDeps(app: FastifyInstance): PaymentDeps {
  return { sql: app.sql, chain: app.chain, queue: app.queues.payments, log: app.log };
}

/** Accepting a redemption: checked against the vault and the token, relayed by the redemptions worker. */
export function redemptionDeps(app: FastifyInstance): RedemptionDeps {
  return { sql: app.sql, chain: app.chain, stablecoinDecimals: app.stablecoinDecimals, queue: app.queues.redemptions, log: app.log };
}

/** Recording an operator write (programs, grants, lots, deposits, reversals) and waiting for its outcome. */
export function operatorWriteDeps(app: FastifyInstance): OperatorWriteDeps & { chain: Chain; stablecoinDecimals: number } {
  return { ...app.operatorWrites, chain: app.chain, stablecoinDecimals: app.stablecoinDecimals };
}

/** An admin's decisions on events that are held, failed or stuck: rejecting one asks the chain whether it is credited. */
export function triageDeps(app: FastifyInstance, config: Config): TriageDeps {
  return { sql: app.sql, chain: app.chain, minter: { notify: () => app.notifyMinter() }, stuckMinutes: config.stuckEventMinutes };
}
