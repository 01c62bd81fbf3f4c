import { Wallet } from "ethers";
import { createApiClient } from "../../services/api/client/index.js";
import { eachLimited } from "../lib/each-limited.js";

/** What the load needs: a recycling program, collection points allowed to issue for it, registered collectors. */
export interface Scene {
  programId: number;
  token: string;
  /** API keys of the collection points. */
  pointKeys: string[];
  collectors: string[];
}

/** The bench's caller of the API it started, as the admin (the typed client: a refusal throws its ApiError). */
export const adminApi = (base: string, adminKey: string) => createApiClient({ baseUrl: base, apiKey: adminKey });

/**
 * Creates the scene through the HTTP API as an operator would: the program (its token cloned on chain), the
 * points (admitted, then granted the issuer role), and the collectors (registered by the points in turn).
 * Caps are set, high enough that no event is held, so acceptance runs its full fraud checks.
 */
export async function createScene(base: string, adminKey: string, sizes: { points: number; collectors: number }): Promise<Scene> {
  const api = adminApi(base, adminKey);
  const program = await api.createProgram({
    name: "Bench Ocean Plastic",
    symbol: "BOP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
    caps: { perEvent: "1000", perBeneficiaryDaily: "1000000", perIssuerDaily: "100000000" },
  });
  const programId = program.id;

  const pointKeys = await eachLimited(Array.from({ length: sizes.points }, (_, i) => i), 4, async (i) => {
    const point = await api.createMember({ kind: "collection_point", name: `Bench Point ${i + 1}` });
    await api.grantProgram(programId, point.id);
    return point.apiKey;
  });

  const wallets = Array.from({ length: sizes.collectors }, () => Wallet.createRandom().address);
  const collectors = await eachLimited(wallets.map((address, i) => ({ address, i })), 16, async ({ address, i }) => {
    const registered = await api.registerCollector({ address, displayName: `Collector ${i + 1}` }, { apiKey: pointKeys[i % pointKeys.length]! });
    return registered.address!;
  });
  return { programId, token: program.token, pointKeys, collectors };
}
