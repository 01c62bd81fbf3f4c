import { Wallet } from "ethers";
import { eachLimited } from "../lib/each-limited.js";

/** What the load needs: a recycling program, collection points allowed to issue for it, registered collectors. */
export interface Scene {
  programId: number;
  token: string;
  /** API keys of the collection points. */
  pointKeys: string[];
  collectors: string[];
}

export async function call(base: string, key: string, path: string, body: unknown, expected: number[]) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!expected.includes(response.status)) {
    throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer;
}

/**
 * Creates the scene through the HTTP API as an operator would: the program (its token cloned on chain), the
 * points (admitted, then granted the issuer role), and the collectors (registered by the points in turn).
 * Caps are set, high enough that no event is held, so acceptance runs its full fraud checks.
 */
export async function createScene(base: string, adminKey: string, sizes: { points: number; collectors: number }): Promise<Scene> {
  const program = await call(base, adminKey, "/v1/programs", {
    name: "Bench Ocean Plastic",
    symbol: "BOP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
    caps: { perEvent: "1000", perBeneficiaryDaily: "1000000", perIssuerDaily: "100000000" },
  }, [201]);
  const programId = program.id as number;

  const pointKeys = await eachLimited(Array.from({ length: sizes.points }, (_, i) => i), 4, async (i) => {
    const point = await call(base, adminKey, "/v1/members", { kind: "collection_point", name: `Bench Point ${i + 1}` }, [201]);
    await call(base, adminKey, `/v1/programs/${programId}/members`, { memberId: point.id }, [201]);
    return point.apiKey as string;
  });

  const wallets = Array.from({ length: sizes.collectors }, () => Wallet.createRandom().address);
  const collectors = await eachLimited(wallets.map((address, i) => ({ address, i })), 16, async ({ address, i }) => {
    const registered = await call(base, pointKeys[i % pointKeys.length]!, "/v1/collectors", {
      address,
      displayName: `Collector ${i + 1}`,
    }, [201]);
    return registered.address as string;
  });
  return { programId, token: program.token as string, pointKeys, collectors };
}
