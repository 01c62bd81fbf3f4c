import { getAddress, Signature, verifyTypedData } from "ethers";
import { rewardTokenDomain } from "../chain/eip3009.js";
import type { Chain } from "../chain/network.js";
import { PERMIT_TYPES } from "../chain/eip2612.js";
import { formatDecimal, formatTokenAmount, parseTokenAmount } from "../core/amounts.js";
import { badRequest, conflict, forbidden, notFound } from "../core/errors.js";
import { once, requestFingerprint } from "../db/idempotency.js";
import type { Member } from "../db/members.js";
import { findProgram, programRoleOf } from "../db/programs.js";
import { insertRedemption, insertRedemptionIn, type NewRedemption, type Redemption } from "../db/redemptions.js";
import type { Sql } from "../db/sql.js";
import { type createQueue, redemptionJobId } from "../queue/queues.js";
import type { Log } from "./log.js";

/** A permit must still be valid this long after acceptance, so the worker has time to relay it. */
const SETTLEMENT_MARGIN_S = 10;

export interface RedemptionRequest {
  programId: number;
  amount: string;
  permit: { deadline: number; signature: string };
}

/** What accepting a redemption needs: the chain to check the vault's and the token's view, the queue it goes on. */
export interface RedemptionDeps {
  sql: Sql;
  chain: Pick<Chain, "chainId" | "token" | "vault" | "provider" | "deployment">;
  /** The vault's stablecoin's decimals, which its refusals are explained in. */
  stablecoinDecimals: number;
  queue: Pick<ReturnType<typeof createQueue<"redemptions">>, "add">;
  log: Log;
  clock?: () => Date;
}

type Store = (redemption: NewRedemption, vault: { depositsLeft: bigint; rate: bigint; gross: bigint }) => ReturnType<typeof insertRedemption>;

/**
 * Accepts a retailer's redemption, once per Idempotency-Key when one is given: the key's row is taken first,
 * so a retry (or a concurrent twin) of the same body replays the first answer, the same redemption, even
 * after its permit is spent; another body is 409. A refusal stores nothing and leaves the key free.
 */
export async function acceptRedemption<A extends { id: number }>(
  deps: RedemptionDeps,
  retailer: Member,
  body: RedemptionRequest,
  request: { idempotencyKey?: string | undefined; present(redemption: Redemption): A },
): Promise<A> {
  const { idempotencyKey, present } = request;
  if (idempotencyKey === undefined) {
    const stored = await checkAndStore(deps, deps.sql, retailer, body, (r, vault) => insertRedemption(deps.sql, r, vault));
    await enqueue(deps, stored.id);
    return present(stored);
  }
  const fingerprint = requestFingerprint("POST /v1/redemptions", body);
  const result = await once(deps.sql, retailer.id, idempotencyKey, fingerprint, {
    prepare: async () => undefined,
    // Every read on the key's own connection: twins waiting on the key hold pool connections of their own.
    handle: async (db) => {
      const stored = await checkAndStore(deps, db, retailer, body, (r, vault) => insertRedemptionIn(db, r, vault));
      return { statusCode: 202, body: present(stored) };
    },
  });
  // Enqueued after the commit, so the worker finds the row; a replay's was enqueued by the first answer.
  if (!result.replayed) await enqueue(deps, BigInt(result.body.id));
  return result.body;
}

/**
 * Checks a retailer's redemption as the vault will (acceptor, balance, permit, deposits, a net above zero)
 * plus what only we know (one open redemption per retailer and program, deposits other open redemptions
 * will draw), and stores it with `store`.
 */
async function checkAndStore(deps: RedemptionDeps, db: Sql, retailer: Member, body: RedemptionRequest, store: Store): Promise<Redemption> {
  const program = await findProgram(db, BigInt(body.programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${body.programId}`);
  // The rate recorded at creation; the vault's own is read below (governance may have changed it since).
  if (program.redemptionRate === 0n) throw badRequest("RC_PROGRAM_NOT_REDEEMABLE", `program ${program.id} has no redemption rate`);
  const { chain } = deps;
  const { vault } = chain;
  const token = chain.token(program.token);
  if (!retailer.address || (await programRoleOf(db, program.id, retailer.id)) !== "acceptor") {
    throw forbidden("RC_NOT_ACCEPTOR", `retailer ${retailer.id} does not accept program ${program.id}`);
  }
  const owner = getAddress(retailer.address);
  const tokens = parseTokenAmount(body.amount);
  if (tokens <= 0n) throw badRequest("RC_INVALID_AMOUNT", "a redemption burns more than nothing");
  const deadline = BigInt(body.permit.deadline);
  if (body.permit.deadline <= Math.floor((deps.clock?.() ?? new Date()).getTime() / 1000) + SETTLEMENT_MARGIN_S) {
    throw badRequest("RC_PERMIT_EXPIRED", `the permit's deadline must be more than ${SETTLEMENT_MARGIN_S} s away`);
  }

  // The head first: everything read after it is at that block or later, so a Redeemed search may start there.
  const acceptedBlock = await chain.provider.getBlockNumber();
  const [rate, balance, nonce] = await Promise.all([vault.redemptionRate(program.token), token.balanceOf(owner), token.nonces(owner)]);
  if (rate === 0n) throw badRequest("RC_PROGRAM_NOT_REDEEMABLE", `program ${program.id} has no redemption rate`);
  if (balance < tokens) {
    throw badRequest("RC_INSUFFICIENT_BALANCE", "the retailer's token balance does not cover this", {
      available: formatTokenAmount(balance),
    });
  }
  const permit = { owner, spender: chain.deployment.contracts.vault, value: tokens, nonce, deadline };
  const domain = rewardTokenDomain(program.name, BigInt(chain.chainId), program.token);
  let signer: string | undefined;
  try {
    signer = verifyTypedData(domain, PERMIT_TYPES, permit, body.permit.signature);
  } catch {
    signer = undefined; // Malformed or non-canonical (high s): the token would refuse it too.
  }
  if (signer !== owner) {
    throw badRequest("RC_INVALID_PERMIT", `the signature is not the retailer's permit of this amount to the vault at nonce ${nonce}`);
  }

  const [[gross, fee, net], [, depositsLeft]] = await Promise.all([vault.quote(program.token, tokens), vault.solvency(program.token)]);
  if (net === 0n) throw badRequest("RC_REDEMPTION_TOO_SMALL", "after the fee these tokens would pay nothing", { fee: stable(deps, fee) });
  const stored = await store(
    {
      programId: program.id,
      retailerId: retailer.id,
      retailer: owner,
      tokens,
      permitNonce: nonce,
      deadline,
      signature: Signature.from(body.permit.signature).serialized,
      acceptedBlock: BigInt(acceptedBlock),
    },
    { depositsLeft, rate, gross },
  );
  if (stored === "in-progress") {
    throw conflict("RC_REDEMPTION_IN_PROGRESS", "this retailer already has a redemption of this program in progress");
  }
  if ("insufficient" in stored) {
    throw badRequest("RC_INSUFFICIENT_DEPOSITS", "the program's deposits, less open redemptions, cannot pay this", {
      available: stable(deps, stored.insufficient),
      needed: stable(deps, gross),
    });
  }
  return stored;
}

/** If this fails the redemption is still stored: the worker's reconciler enqueues it. */
async function enqueue(deps: RedemptionDeps, id: bigint) {
  await deps.queue
    .add("redeem", { redemptionId: Number(id) }, { jobId: redemptionJobId(id) })
    .catch((error: unknown) => deps.log.warn({ err: error, redemption: String(id) }, "enqueue failed; the reconciler will retry"));
}

const stable = (deps: RedemptionDeps, value: bigint) => formatDecimal(value, deps.stablecoinDecimals);
