import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../services/config.js";

/** The admin key: `--admin-key`, else ADMIN_API_KEY (through the config), else the one `npm start` kept in STATE_DIR. */
export async function resolveAdminKey(flag: string | undefined, config: Config): Promise<string> {
  if (flag) return flag;
  if (config.adminApiKey) return config.adminApiKey;
  const path = join(config.stateDir, "admin-api-key");
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    throw new Error(`no admin key: pass --admin-key, set ADMIN_API_KEY, or run npm start (it writes ${path})`);
  }
}
