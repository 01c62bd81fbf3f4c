/**
 * `.env` when there is one, imported first by the scripts people run (`npm start`, `seed`, `simulate`). Node's
 * `--env-file-if-exists` does the same but prints ".env not found" on every command of a checkout without one.
 * As with `--env-file`, what the environment already sets wins.
 */
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");
