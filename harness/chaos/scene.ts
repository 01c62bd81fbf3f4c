import { keccak256, parseUnits, toUtf8Bytes, Wallet } from "ethers";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { type Answer, request } from "./http.js";
import { pollUntil } from "../lib/time.js";

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

async function expectStatus(answer: Promise<Answer>, status: number, what: string) {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`chaos scene: ${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

/** Wallets derived from the seed, so one seed gives one scene. */
const seeded = (seed: number, what: string, i: number) => new Wallet(keccak256(toUtf8Bytes(`recircle-chaos:${seed}:${what}:${i}`)));

/** Event `body` answered 202 → the accepted event it records. */
export function acceptedEvent(key: string, body: Record<string, unknown>): AcceptedEvent {
  return { id: body.id as number, key, beneficiary: body.beneficiary as string, credit: parseUnits(body.tokens as string, 18) };
}

/**
 * Builds the scene over HTTP as an operator would, before any fault: the program (caps high enough that
 * nothing is held), points granted the issuer role, collectors, retailers accepting the program, and one
 * 400 kg drop-off per payer, waited for until minted, so payments have tokens to move.
 */
export async function createScene(base: string, adminKey: string, seed: number, runId: string): Promise<Scene> {
  const admin = { authorization: `Bearer ${adminKey}` };
  const program = await expectStatus(request(base, "POST", "/v1/programs", admin, {
    name: "Chaos Plastic",
    symbol: "CHP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
    caps: { perEvent: "1000", perBeneficiaryDaily: "100000000", perIssuerDaily: "100000000" },
  }), 201, "POST /v1/programs");
  const programId = program.id as number;
  const grant = async (memberId: unknown) =>
    expectStatus(request(base, "POST", `/v1/programs/${programId}/members`, admin, { memberId }), 201, "grant");

  const pointKeys: string[] = [];
  for (let i = 0; i < SCENE.points; i++) {
    const point = await expectStatus(request(base, "POST", "/v1/members", admin, { kind: "collection_point", name: `Chaos Point ${i + 1}` }), 201, "admit point");
    await grant(point.id);
    pointKeys.push(point.apiKey as string);
  }
  const retailers: string[] = [];
  for (let i = 0; i < SCENE.retailers; i++) {
    const address = seeded(seed, "retailer", i).address;
    const member = await expectStatus(request(base, "POST", "/v1/members", admin, { kind: "retailer", name: `Chaos Shop ${i + 1}`, address }), 201, "admit retailer");
    await grant(member.id);
    retailers.push(address);
  }
  const wallets = Array.from({ length: SCENE.collectors }, (_, i) => seeded(seed, "collector", i));
  await Promise.all(
    wallets.map((wallet, i) =>
      expectStatus(
        request(base, "POST", "/v1/collectors", { authorization: `Bearer ${pointKeys[i % pointKeys.length]}` }, { address: wallet.address, displayName: `Chaos ${i + 1}` }),
        201,
        "register collector",
      ),
    ),
  );
  const payers = wallets.slice(0, SCENE.payers).map((wallet) => ({ wallet, nonces: new PaymentNonces() }));
  const funding = await Promise.all(
    payers.map(async ({ wallet }, i) => {
      const key = `chaos-${runId}-funding-${i}`;
      const body = await expectStatus(
        request(base, "POST", "/v1/collections", { authorization: `Bearer ${pointKeys[0]}`, "idempotency-key": key }, {
          programId,
          collector: wallet.address,
          material: "PET",
          grams: SCENE.fundingKg * 1000,
        }),
        202,
        "funding drop-off",
      );
      return acceptedEvent(key, body);
    }),
  );
  const point = { authorization: `Bearer ${pointKeys[0]}` };
  const deadline = Date.now() + 60_000;
  for (const event of funding) {
    await pollUntil(() => request(base, "GET", `/v1/collections/${event.id}`, point), ({ body }) => body.status === "confirmed", {
      deadline,
      intervalMs: 200,
      message: (last) => `chaos scene: funding event ${event.id} not minted within 60 s (${String(last?.body.status)})`,
    });
  }
  return {
    programId,
    name: program.name as string,
    token: program.token as string,
    pointKeys,
    collectors: wallets.map((w) => w.address),
    payers,
    retailers,
    funding,
  };
}
