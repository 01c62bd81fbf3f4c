import { formatUnits, Signature } from "ethers";
import { rewardTokenDomain, signTransferAuthorization } from "../../services/chain/eip3009.js";
import type { Random } from "../lib/random.js";
import { apiAt, untilAnswered } from "./http.js";
import { type AcceptedEvent, acceptedEvent, type Scene } from "./scene.js";
import { sleep } from "../lib/time.js";

/** A payment the API accepted: answered 202, or 409 "already submitted" to a retry whose first answer was lost. */
export interface AcceptedPayment {
  /** Unknown when only the retry's 409 was heard: the audit finds the row by payer and nonce. */
  id: number | undefined;
  payer: string;
  payee: string;
  nonce: string;
  value: bigint;
}

export interface LoadResult {
  events: AcceptedEvent[];
  payments: AcceptedPayment[];
  /**
   * Short-lived payments whose retry found them expired: the lost first answer may have stored one. The
   * run adds those the database holds to `payments` before the audit.
   */
  maybePayments: AcceptedPayment[];
  /** Accepted payments valid for seconds only (the rest are valid for an hour). */
  shortLived: number;
  /** Requests sent more than once because an answer was lost (connection refused or cut, 5xx). */
  retried: number;
  /** Answers that should never come under this load (a refused collection or payment), with the reason. */
  refused: string[];
}

export interface LoadOptions {
  base: () => string;
  scene: Scene;
  chainId: number;
  random: Random;
  runId: string;
  /** False once no new request should start; requests already sent keep retrying until `giveUpAt`. */
  running: () => boolean;
  giveUpAt: () => number;
  /** True once the run failed elsewhere: lanes stop and retries give up. */
  aborted: () => boolean;
  collectionLanes: number;
  paymentLanes: number;
  /** A pause between one lane's requests, to leave the machine's CPU to the processes under test. */
  pauseMs: number;
}

/**
 * Drop-offs (each with its own Idempotency-Key, retried with the same one) and signed payments (retried
 * as the same signed authorization) in parallel lanes while `running()`, recording every accepted one.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { scene, random } = options;
  const result: LoadResult = { events: [], payments: [], maybePayments: [], shortLived: 0, retried: 0, refused: [] };
  let sequence = 0;
  const domain = rewardTokenDomain(scene.name, BigInt(options.chainId), scene.token);

  const collect = async () => {
    const key = `chaos-${options.runId}-${++sequence}`;
    const body = {
      programId: scene.programId,
      collector: random.pick(scene.collectors),
      material: random.pick(["PET", "HDPE"] as const),
      grams: 100 + random.int(20_000),
    };
    const point = random.pick(scene.pointKeys);
    const send = () => apiAt(options.base()).recordCollection(body, { apiKey: point, idempotencyKey: key });
    const answer = await untilAnswered("POST /v1/collections", send, options.giveUpAt(), options.aborted);
    if (answer.attempts > 1) result.retried++;
    if (answer.ok) result.events.push(acceptedEvent(key, answer.value));
    else result.refused.push(`collection ${key}: ${answer.error.status} ${JSON.stringify(answer.error.body)}`);
  };

  const pay = async () => {
    const payer = random.pick(scene.payers);
    // One in ten is valid for 12 to 20 s only, which the API accepts by its clock. The Hardhat node's clock runs
    // ahead under this load (a second per block at least), so the token refuses most of these as expired: the
    // "failed with a reason" path, under the same faults. The audit takes either outcome, never neither.
    const validFor = random.int(10) === 0 ? 12 + random.int(9) : 3_600;
    const authorization = {
      from: payer.wallet.address,
      to: random.pick(scene.retailers),
      value: BigInt(1 + random.int(97)) * 10n ** 16n,
      validAfter: 0n,
      validBefore: BigInt(Math.floor(Date.now() / 1000) + validFor),
      nonce: payer.nonces.take(),
    };
    const signed = await signTransferAuthorization(payer.wallet, domain, authorization);
    const body = {
      programId: scene.programId,
      authorization: { ...authorization, value: formatUnits(authorization.value, 18), validAfter: 0, validBefore: Number(authorization.validBefore) },
      signature: Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized,
    };
    const answer = await untilAnswered("POST /v1/payments", () => apiAt(options.base()).createPayment(body), options.giveUpAt(), options.aborted);
    if (answer.attempts > 1) result.retried++;
    const accepted = { payer: authorization.from, payee: authorization.to, nonce: authorization.nonce, value: authorization.value };
    if (answer.ok) {
      if (validFor < 3_600) result.shortLived++;
      result.payments.push({ id: answer.value.id, ...accepted });
    }
    // An earlier attempt was stored (and maybe settled already) but its answer was lost with the API.
    else if (answer.error.status === 409 && answer.error.code === "RC_AUTHORIZATION_REPLAYED" && answer.attempts > 1) result.payments.push({ id: undefined, ...accepted });
    else if (answer.error.status === 400 && answer.error.code === "RC_AUTHORIZATION_EXPIRED" && validFor < 3_600) {
      if (answer.attempts > 1) result.maybePayments.push({ id: undefined, ...accepted });
    } else result.refused.push(`payment ${authorization.from}/${authorization.nonce}: ${answer.error.status} ${JSON.stringify(answer.error.body)}`);
  };

  const lane = async (work: () => Promise<void>) => {
    while (options.running() && !options.aborted()) {
      try {
        await work();
      } catch (error) {
        result.refused.push((error as Error).message);
      }
      await sleep(options.pauseMs);
    }
  };
  await Promise.all([
    ...Array.from({ length: options.collectionLanes }, () => lane(collect)),
    ...Array.from({ length: options.paymentLanes }, () => lane(pay)),
  ]);
  return result;
}
