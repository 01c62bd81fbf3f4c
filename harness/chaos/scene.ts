import { keccak256, parseUnits, toUtf8Bytes, Wallet } from "ethers";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { ApiError, type CreditEvent } from "../../services/api/client/index.js";
import { pollUntil } from "../lib/time.js";
import { apiAt } from "./http.js";

export interface Payer {
  wallet: Wallet;
  nonces: PaymentNonces;
}

/** An event the API accepted (answered 202): its id and what it must credit, to whom. */
export interface AcceptedEvent {
  id: number;
  key: string;
  beneficiary: string;
  credit: bigint;
}

/** The run's world: one recycling program, its collection points, collectors, paying collectors, retailers. */
export interface Scene {
  programId: number;
  name: string;
  token: string;
  pointKeys: string[];
  collectors: string[];
  payers: Payer[];
  retailers: string[];
  /** The payers' funding drop-offs: accepted events like the load's, audited with them. */
  funding: AcceptedEvent[];
}

export const SCENE = { points: 2, collectors: 24, payers: 12, retailers: 3, fundingKg: 400 } as const;

/** A step of the scene, which must succeed: a refusal stops the run, named. */
async function step<T>(what: string, answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0) throw error;
    throw new Error(`chaos scene: ${what} answered ${error.status}: ${JSON.stringify(error.body)}`);
  }
}

/** Wallets derived from the seed, so one seed gives one scene. */
const seeded = (seed: number, what: string, i: number) => new Wallet(keccak256(toUtf8Bytes(`recircle-chaos:${seed}:${what}:${i}`)));

/** An event the API accepted → what it must credit. */
export function acceptedEvent(key: string, event: CreditEvent): AcceptedEvent {
  return { id: event.id, key, beneficiary: event.beneficiary, credit: parseUnits(event.tokens, 18) };
}

/**
 * Builds the scene over HTTP as an operator would, before any fault: the program (caps high enough that
 * nothing is held), points granted the issuer role, collectors, retailers accepting the program, and one
 * 400 kg drop-off per payer, waited for until minted, so payments have tokens to move.
 */
export async function createScene(base: string, adminKey: string, seed: number, runId: string): Promise<Scene> {
  const api = apiAt(base);
  const admin = { apiKey: adminKey };
  const program = await step("POST /v1/programs", api.createProgram({
    name: "Chaos Plastic",
    symbol: "CHP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
    caps: { perEvent: "1000", perBeneficiaryDaily: "100000000", perIssuerDaily: "100000000" },
  }, admin));
  const programId = program.id;
  const grant = async (memberId: number) => step("grant", api.grantProgram(programId, memberId, admin));

  const pointKeys: string[] = [];
  for (let i = 0; i < SCENE.points; i++) {
    const point = await step("admit point", api.createMember({ kind: "collection_point", name: `Chaos Point ${i + 1}` }, admin));
    await grant(point.id);
    pointKeys.push(point.apiKey);
  }
  const retailers: string[] = [];
  for (let i = 0; i < SCENE.retailers; i++) {
    const address = seeded(seed, "retailer", i).address;
    const member = await step("admit retailer", api.createMember({ kind: "retailer", name: `Chaos Shop ${i + 1}`, address }, admin));
    await grant(member.id);
    retailers.push(address);
  }
  const wallets = Array.from({ length: SCENE.collectors }, (_, i) => seeded(seed, "collector", i));
  await Promise.all(
    wallets.map((wallet, i) =>
      step("register collector", api.registerCollector({ address: wallet.address, displayName: `Chaos ${i + 1}` }, { apiKey: pointKeys[i % pointKeys.length]! })),
    ),
  );
  const payers = wallets.slice(0, SCENE.payers).map((wallet) => ({ wallet, nonces: new PaymentNonces() }));
  const funding = await Promise.all(
    payers.map(async ({ wallet }, i) => {
      const key = `chaos-${runId}-funding-${i}`;
      const event = await step(
        "funding drop-off",
        api.recordCollection({ programId, collector: wallet.address, material: "PET", grams: SCENE.fundingKg * 1000 }, { apiKey: pointKeys[0]!, idempotencyKey: key }),
      );
      return acceptedEvent(key, event);
    }),
  );
  const point = { apiKey: pointKeys[0]! };
  const deadline = Date.now() + 60_000;
  for (const event of funding) {
    await pollUntil(() => step("GET /v1/collections/:id", api.collection(event.id, point)), (collection) => collection.status === "confirmed", {
      deadline,
      intervalMs: 200,
      message: (last) => `chaos scene: funding event ${event.id} not minted within 60 s (${String(last?.status)})`,
    });
  }
  return {
    programId,
    name: program.name,
    token: program.token,
    pointKeys,
    collectors: wallets.map((w) => w.address),
    payers,
    retailers,
    funding,
  };
}
