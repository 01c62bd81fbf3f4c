import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type AnvilNode, startAnvil, stopAnvil } from "../../harness/lib/anvil.js";
import { freePort } from "../../harness/lib/isolated-run.js";
import type { NetworkDeployment } from "../../services/chain/address-book.js";
import type { SendPolicy } from "../../services/chain/chain-writer.js";
import { type Chain, connectChain, createProvider, DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import { dropDatabase, ensureDatabase, migrate } from "../../services/db/migrate.js";
import { createSql, type Sql } from "../../services/db/sql.js";
import { MintBatcher } from "../../services/engines/mint-batcher.js";
import { deployTestNetwork } from "./deploy.js";

/** Log lines a writer or engine wrote, by level, for tests that check what was said. */
export class CapturedLog {
  readonly lines: { level: "info" | "warn" | "error"; message: string; fields: Record<string, unknown> }[] = [];
  readonly info = (fields: object, message?: string) => this.push("info", fields, message);
  readonly warn = (fields: object, message?: string) => this.push("warn", fields, message);
  readonly error = (fields: object, message?: string) => this.push("error", fields, message);

  private push(level: "info" | "warn" | "error", fields: object, message = "") {
    this.lines.push({ level, message, fields: fields as Record<string, unknown> });
  }

  said(pattern: RegExp, level?: "info" | "warn" | "error") {
    return this.lines.filter((line) => pattern.test(line.message) && (level === undefined || line.level === level));
  }
}

/**
 * One Anvil node (a chain id other than 31337) that mines only when told (`evm_mine`), with the network deployed,
 * one loyalty program whose token the operator mints, and a database of its own with that program and an issuer.
 */
export interface AnvilScene {
  node: AnvilNode;
  sql: Sql;
  deployment: NetworkDeployment;
  token: string;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** A fresh connection for the operator key: one per "process" of a test. */
  operatorChain(policy: SendPolicy): Promise<Chain>;
  /** Accepts `count` loyalty events of 1 token each to fresh holders; their ids. */
  accept(count: number): Promise<bigint[]>;
  mine(blocks?: number): Promise<void>;
  /** Closes every operator connection made so far (their writers stop following nonces). */
  closeChains(): void;
  close(): Promise<void>;
}

/** The events' statuses and hashes, in id order. */
export const eventRows = (scene: AnvilScene, ids: bigint[]) =>
  scene.sql<{ status: string; txHash: string | null }[]>`
    select status, tx_hash as "txHash" from events where id = any(${ids.map(String)}::bigint[]) order by id`;

/** The one hash the events were recorded with, once they all are submitted. */
export async function submittedHash(scene: AnvilScene, ids: bigint[]): Promise<string | undefined> {
  const rows = await eventRows(scene, ids);
  const submitted = rows.every((row) => row.status === "submitted") && new Set(rows.map((row) => row.txHash)).size === 1;
  return submitted ? rows[0]!.txHash! : undefined;
}

/** Settled by the batcher from a receipt: `included` (the finality engine, not run here, confirms later). */
export const allIncluded = (rows: { status: string }[]) => rows.every((row) => row.status === "included" || row.status === "confirmed");

/** Hashes of `address`'s transactions waiting in the node's pool, by nonce. */
export async function poolOf(scene: AnvilScene, address: string): Promise<Record<string, { hash: string; to: string; value: string }>> {
  const pool = await scene.rpc<{ pending: Record<string, Record<string, { hash: string; to: string; value: string }>> }>("txpool_content");
  return Object.entries(pool.pending).find(([from]) => from.toLowerCase() === address.toLowerCase())?.[1] ?? {};
}

export async function startAnvilScene(): Promise<AnvilScene> {
  const folder = await mkdtemp(join(tmpdir(), "recircle-anvil-"));
  const node = await startAnvil({ port: await freePort(), stateDir: folder, blockSeconds: 0 });
  const provider = createProvider(node.url);
  const rpc = <T>(method: string, params: unknown[] = []) => provider.send(method, params) as Promise<T>;
  const chains: Chain[] = [];
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/recircle_test_anvil_${process.pid}_${randomBytes(4).toString("hex")}`;
  let sql: Sql | undefined;
  const close = async () => {
    for (const chain of chains) chain.close();
    provider.destroy();
    await stopAnvil(node);
    await sql?.end({ timeout: 5 });
    await dropDatabase(databaseUrl);
    await rm(folder, { recursive: true, force: true });
  };
  try {
    // Deploying wants each transaction mined as it comes; the tests mine by hand afterwards.
    await rpc("evm_setAutomine", [true]);
    const deployment = await deployTestNetwork(provider, new Wallet(DEV_OPERATOR_KEY).address);
    await ensureDatabase(databaseUrl);
    sql = createSql(databaseUrl, { max: 4 });
    await migrate(sql);
    const setup = await connectChain(node.url, deployment, DEV_OPERATOR_KEY);
    const receipt = await setup.writer.sendAndWait(await setup.factory.createProgram.populateTransaction("Anvil Points", "ANV", false, 0n));
    const created = receipt.logs.map((log) => setup.factory.interface.parseLog(log)).find((parsed) => parsed?.name === "ProgramCreated")!;
    const token = created.args.token as string;
    setup.close();
    const [issuer] = await sql<{ id: bigint }[]>`
      insert into members (kind, name, api_key_hash) values ('brand', 'Anvil Brand', ${randomBytes(32)}) returning id`;
    const [program] = await sql<{ id: bigint }[]>`
      insert into programs (chain_program_id, token_address, name, symbol, kind, closed_loop, created_tx)
      values (${String(created.args.programId)}, ${token}, 'Anvil Points', 'ANV', 'loyalty', false, ${receipt.hash}) returning id`;
    await rpc("evm_setAutomine", [false]);
    const db = sql;
    return {
      node,
      sql: db,
      deployment,
      token,
      rpc,
      async operatorChain(policy) {
        const chain = await connectChain(node.url, deployment, DEV_OPERATOR_KEY, undefined, {}, policy);
        chains.push(chain);
        return chain;
      },
      async accept(count) {
        const rows = await db<{ id: bigint }[]>`
          insert into events (kind, program_id, issuer_id, beneficiary, credit, status)
          select 'loyalty', ${String(program!.id)}, ${String(issuer!.id)}, ${Wallet.createRandom().address}, 1000000000000000000, 'pending'
          from generate_series(1, ${count})
          returning id`;
        return rows.map((row) => row.id);
      },
      closeChains() {
        for (const chain of chains.splice(0)) chain.close();
      },
      async mine(blocks = 1) {
        for (let i = 0; i < blocks; i++) await rpc("evm_mine");
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

export const GWEI = 1_000_000_000n;
/** Replacing after 1.5 s instead of the default 30 s keeps each case to seconds; the logic is the same. */
export const FAST_REPLACE = { replaceAfterMs: 1_500, lowBalanceTransactions: 50 };

/**
 * The test file's Anvil scene, started once (handed to `use`) and closed after the file, and a way to make
 * batchers that are stopped after each case: a case that fails midway still stops them, so they do not poll
 * on into the next case or file. Returns that maker.
 */
export function useAnvilScene(use: (scene: AnvilScene) => void): (...args: ConstructorParameters<typeof MintBatcher>) => MintBatcher {
  let scene: AnvilScene | undefined;
  beforeAll(async () => use((scene = await startAnvilScene())));
  afterAll(() => scene?.close());
  const batchers: MintBatcher[] = [];
  afterEach(async () => {
    scene?.closeChains(); // a writer still following a nonce would hold its batcher's stop
    await Promise.all(batchers.splice(0).map((batcher) => batcher.stop()));
  });
  return (...args) => {
    const batcher = new MintBatcher(...args);
    batchers.push(batcher);
    return batcher;
  };
}
