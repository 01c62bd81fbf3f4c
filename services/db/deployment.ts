import { deploymentKey, type NetworkDeployment } from "../core/deployment.js";
import type { Sql } from "./sql.js";

/**
 * Binds the database to `deployment` on first use; afterwards returns the key of the deployment it belongs
 * to when that is another one (its events and programs would name contracts this chain does not have).
 */
export async function claimDatabaseFor(sql: Sql, deployment: NetworkDeployment): Promise<string | undefined> {
  const key = deploymentKey(deployment);
  await sql`
    insert into deployment (chain_id, factory, deployment_key)
    values (${deployment.chainId}, ${deployment.contracts.factory}, ${key})
    on conflict (singleton) do nothing`;
  const [row] = await sql<{ deploymentKey: string }[]>`select deployment_key as "deploymentKey" from deployment`;
  return row!.deploymentKey === key ? undefined : row!.deploymentKey;
}
