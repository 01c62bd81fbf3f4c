import { spawn } from "node:child_process";
import { type ContractTransactionResponse, getAddress, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainIndexer, type ChainIndexerOptions } from "../../../services/engines/indexer.js";
import { countEventsByName, findEvents, readCheckpoint } from "../../../services/db/chain-events.js";
import { RewardToken__factory, TestStablecoin__factory } from "../../../types/ethers-contracts/index.js";
import { DEV_GOVERNANCE_KEY } from "../../support/deploy.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";

let stack: Stack;
let governance: Wallet;
beforeAll(async () => {
  stack = await startStack({ runBatcher: true });
  governance = new Wallet(DEV_GOVERNANCE_KEY, stack.chain.provider);
  // These tests count blocks exactly (the head, the confirmations, a range read twice): no block may come
  // between a read of the head and the run that follows, so the node mines on demand only while they run.
  await stack.chain.provider.send("evm_setIntervalMining", [0]);
});
afterAll(async () => {
  await stack?.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  await stack?.close();
});

const indexer = (options: ChainIndexerOptions = {}) => new ChainIndexer(stack.sql, stack.chain, { confirmations: 0, ...options });
const head = () => stack.chain.provider.getBlockNumber();

/** Sends and waits for the receipt by polling it (ethers' own wait polls blocks every 4 s). */
async function mined(sent: Promise<ContractTransactionResponse>) {
  const receipt = await stack.chain.waitForReceipt((await sent).hash);
  expect(receipt?.status).toBe(1);
}

/** Drop-offs through the API, waited for until the batcher has minted them all (in a block: no block follows by itself here). */
async function dropOffs(scene: Awaited<ReturnType<typeof recyclingScene>>, grams: number[]) {
  for (const g of grams) {
    const body = { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: g };
    expect((await scene.point.api.post("/v1/collections", body, idempotencyKey())).status).toBe(202);
  }
  await eventually(
    () => stack.sql`select 1 from events where status not in ('included', 'confirmed')`,
    (rows) => rows.length === 0,
  );
}

/** A sponsor (the dev governance account) deposits stablecoin for `program` in the vault. */
async function deposit(program: string, amount: bigint) {
  const stablecoin = TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, governance);
  await mined(stablecoin.mint(governance.address, amount));
  await mined(stablecoin.approve(stack.deployment.contracts.vault, amount));
  await mined(stack.chain.vault.connect(governance).deposit(program, amount));
}

/** Every log of the network up to `toBlock` as the node reports it, keyed like chain_events. */
async function chainLogs(toBlock: number, topic?: string) {
  const tokens = [];
  for (let id = 1n; id <= (await stack.chain.factory.programCount()); id++) tokens.push(await stack.chain.factory.programToken(id));
  const { factory, vault } = stack.deployment.contracts;
  const logs = await stack.chain.provider.getLogs({
    address: [factory, vault, ...tokens],
    fromBlock: stack.deployment.startBlock,
    toBlock,
    ...(topic ? { topics: [topic] } : {}),
  });
  return logs.map((log) => `${log.blockHash}:${log.index}`).sort();
}

const storedKeys = async () =>
  (await stack.sql<{ key: string }[]>`select block_hash || ':' || log_index as key from chain_events`).map((r) => r.key).sort();

const WORKER = new URL("../../../workers/indexer.ts", import.meta.url).pathname;
const snapshot = () => stack.sql`select * from chain_events order by block_number, log_index`;

describe("the chain indexer", () => {
  it("records the factory's, the vault's and the program tokens' logs with their decoded arguments", async () => {
    const scene = await recyclingScene(stack);
    await dropOffs(scene, [1_500, 2_000, 333]);
    await deposit(scene.program.token, 5_000_000n);

    const run = await indexer().runOnce();
    const top = await head();
    expect(run).toMatchObject({ fromBlock: stack.deployment.startBlock, toBlock: top, rewound: false });
    expect(await storedKeys()).toEqual(await chainLogs(top));
    expect(run.events).toBe((await chainLogs(top)).length);

    const counts = await countEventsByName(stack.sql);
    const token = RewardToken__factory.createInterface();
    for (const name of ["RoleGranted", "Transfer", "Credited"] as const) {
      expect(counts[name], name).toBe((await chainLogs(top, token.getEvent(name).topicHash)).length);
    }
    expect(counts).toMatchObject({ ProgramCreated: 1, ProgramRegistered: 1, Credited: 3, Transfer: 3, Deposited: 1 });

    const [created] = await findEvents(stack.sql, { name: "ProgramCreated" });
    expect(created).toMatchObject({ contract: "factory", address: stack.deployment.contracts.factory });
    expect(created!.args).toEqual({
      programId: "1",
      token: getAddress(scene.program.token),
      name: "Ocean Plastic",
      symbol: "OCP",
      closedLoop: false,
      redemptionRate: String(await stack.chain.vault.redemptionRate(scene.program.token)),
    });
    const credits = await stack.sql<{ eventId: string; to: string; amount: string }[]>`
      select id::text as "eventId", beneficiary as "to", credit::text as amount from events order by id`;
    const credited = await findEvents(stack.sql, { name: "Credited", address: getAddress(scene.program.token) });
    expect(credited.map((e) => e.args)).toEqual(credits.map((c) => ({ ...c, to: getAddress(c.to) })));
    const [deposited] = await findEvents(stack.sql, { name: "Deposited" });
    expect(deposited).toMatchObject({ contract: "vault", address: stack.deployment.contracts.vault });
    expect(deposited!.args).toEqual({
      depositId: "1",
      program: getAddress(scene.program.token),
      sponsor: governance.address,
      amount: "5000000",
    });
    const [granted] = await findEvents(stack.sql, { name: "RoleGranted", address: getAddress(scene.program.token) });
    expect(granted!.args).toEqual({ role: expect.stringMatching(/^0x[0-9a-f]{64}$/), account: expect.any(String), sender: expect.any(String) });
    expect(await readCheckpoint(stack.sql)).toEqual({ blockNumber: top, blockHash: (await stack.chain.provider.getBlock(top))!.hash });
  });

  it("picks up after a restart without duplicates or gaps, also when a range is read twice", async () => {
    const second = await recyclingScene(stack);
    await dropOffs(second, [400, 500]);
    await deposit(second.program.token, 2_000_000n);

    // A new instance, as after a restart, in small ranges: the second token appears in the middle of the run.
    const restarted = indexer({ batchBlocks: 3 });
    const run = await restarted.runOnce();
    expect(run.toBlock).toBe(await head());
    expect(await storedKeys()).toEqual(await chainLogs(await head()));
    expect(await countEventsByName(stack.sql)).toMatchObject({ ProgramCreated: 2, Credited: 5, Deposited: 2 });
    expect(await restarted.runOnce()).toEqual({ events: 0, rewound: false });

    // A crash after getLogs but before the commit leaves the checkpoint behind: the range is read again.
    const before = await snapshot();
    const back = (await head()) - 12;
    const block = await stack.chain.provider.getBlock(back);
    await stack.sql`update indexer_checkpoint set block_number = ${back}, block_hash = ${block!.hash}`;
    const replay = await indexer().runOnce();
    expect(replay.fromBlock).toBe(back + 1);
    expect(replay.events).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    expect(await indexer().lag()).toBe(0);
  });

  it("leaves the last `confirmations` blocks unread until they are buried", async () => {
    const scene = await recyclingScene(stack);
    await indexer().runOnce();
    const stablecoin = TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, governance);
    await mined(stablecoin.mint(governance.address, 4_000_000n));
    await mined(stablecoin.approve(stack.deployment.contracts.vault, 4_000_000n));
    const vault = stack.chain.vault.connect(governance);
    await mined(vault.deposit(scene.program.token, 2_000_000n));
    await mined(vault.deposit(scene.program.token, 2_000_000n));

    const confirmed = indexer({ confirmations: 2 });
    const top = await head();
    expect((await confirmed.runOnce()).toBlock).toBe(top - 2);
    expect(await storedKeys()).toEqual(await chainLogs(top - 2));
    expect((await chainLogs(top)).length).toBeGreaterThan((await storedKeys()).length);
    expect(await findEvents(stack.sql, { fromBlock: top - 1 })).toEqual([]);
    expect(await confirmed.lag()).toBe(2);

    await stack.chain.provider.send("evm_mine", []);
    await stack.chain.provider.send("evm_mine", []);
    expect((await confirmed.runOnce()).toBlock).toBe(top);
    expect(await storedKeys()).toEqual(await chainLogs(top));
    expect(await countEventsByName(stack.sql)).toMatchObject({ Deposited: 4 });
  });

  it("rewinds when the checkpoint's block is no longer on the chain and re-indexes the same rows", async () => {
    for (let i = 0; i < 6; i++) await stack.chain.provider.send("evm_mine", []);
    await indexer().runOnce();
    const before = await snapshot();
    const checkpoint = (await readCheckpoint(stack.sql))!;

    // As if a reorg replaced the checkpoint's block and, deeper than the rewind, the newest event's block.
    const fork = (n: number) => `0x${n.toString(16).repeat(64).slice(0, 64)}`;
    const [newest] = await stack.sql<{ block: bigint }[]>`select max(block_number) as block from chain_events`;
    expect(Number(newest!.block)).toBeLessThan(checkpoint.blockNumber - 4);
    await stack.sql`update indexer_checkpoint set block_hash = ${fork(10)}`;
    await stack.sql`update chain_events set block_hash = ${fork(11)} where block_number = ${newest!.block}`;

    const run = await indexer({ reorgDepth: 4 }).runOnce();
    expect(run).toMatchObject({ rewound: true, fromBlock: Number(newest!.block), toBlock: checkpoint.blockNumber });
    expect(await snapshot()).toEqual(before);
    expect(await readCheckpoint(stack.sql)).toEqual(checkpoint);
  });

  it("runs as a worker process until SIGTERM, then exits cleanly", async () => {
    const before = await snapshot();
    await stack.sql`delete from chain_events`;
    await stack.sql`delete from indexer_checkpoint`;
    const { config } = stack;
    const worker = spawn(process.execPath, ["--import", "tsx", WORKER], {
      env: {
        ...process.env,
        DATABASE_URL: config.databaseUrl,
        CHAIN_RPC_URL: config.chainRpcUrl,
        OPERATOR_PRIVATE_KEY: config.operatorPrivateKey,
        ADDRESS_BOOK: config.addressBookPath,
        CHAIN_CONFIRMATIONS: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
    const top = await head();
    await eventually(() => readCheckpoint(stack.sql), (checkpoint) => (checkpoint?.blockNumber ?? 0) >= top, 30_000);
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await snapshot()).toEqual(before);
  });
});
