import type { Log, Provider } from "ethers";
import {
  type Checkpoint,
  knownProgramTokens,
  latestEventBlock,
  readCheckpoint,
  rewindTo,
  saveRange,
} from "../db/chain-events.js";
import type { Sql } from "../db/sql.js";
import type { NetworkDeployment } from "../chain/address-book.js";
import { LogDecoder } from "../chain/log-decoder.js";
import { PollingEngine } from "./polling-loop.js";

export interface ChainIndexerOptions {
  /** Blocks below the head left unread, so most reorgs never reach what is stored. */
  confirmations?: number;
  /** Blocks per getLogs range (and per transaction). */
  batchBlocks?: number;
  pollMs?: number;
  /** How far back a detected reorg rewinds before re-reading. */
  reorgDepth?: number;
  log?: Pick<Console, "info" | "warn" | "error">;
}

export interface IndexRun {
  /** The blocks read and stored by this run (inclusive), when there were any. */
  fromBlock?: number;
  toBlock?: number;
  events: number;
  rewound: boolean;
}

// Nodes cap the addresses of one eth_getLogs filter; a network with many programs asks in slices.
const ADDRESSES_PER_QUERY = 200;
const RETRY_AFTER_ERROR_MS = 2_000;

/**
 * Copies every log of the factory, the vault and the program tokens into chain_events, range by range up to
 * head − confirmations. Each range is stored with the checkpoint in one transaction and rows are keyed by
 * (block hash, log index), so a crash re-reads a range without duplicating it, and a checkpoint whose block
 * the chain no longer has is noticed and rewound.
 */
export class ChainIndexer extends PollingEngine {
  private readonly provider: Provider;
  private readonly deployment: NetworkDeployment;
  private readonly decoder: LogDecoder;
  private readonly confirmations: number;
  private readonly batchBlocks: number;
  private readonly reorgDepth: number;
  private stopping = false;

  constructor(
    private readonly sql: Sql,
    source: { provider: Provider; deployment: NetworkDeployment },
    private readonly options: ChainIndexerOptions = {},
  ) {
    super({
      pollMs: options.pollMs ?? 500,
      retryMs: RETRY_AFTER_ERROR_MS,
      onError: (error) => options.log?.error({ err: error }, "indexing failed; retrying from the checkpoint"),
    });
    this.provider = source.provider;
    this.deployment = source.deployment;
    this.decoder = new LogDecoder(source.deployment);
    this.confirmations = options.confirmations ?? 1;
    this.batchBlocks = options.batchBlocks ?? 2_000;
    this.reorgDepth = options.reorgDepth ?? 64;
  }

  protected async round(): Promise<boolean> {
    const run = await this.runOnce();
    if (run.toBlock !== undefined) this.options.log?.info({ ...run }, "indexed chain events");
    return false;
  }

  /** Stops after the range being stored, if any: everything committed is whole. */
  override async stop(): Promise<void> {
    this.stopping = true;
    await super.stop();
    this.stopping = false;
  }

  /** Blocks the head is ahead of the checkpoint (the metric to alert on). */
  async lag(): Promise<number> {
    const [head, checkpoint] = await Promise.all([this.provider.getBlockNumber(), readCheckpoint(this.sql)]);
    return head - (checkpoint?.blockNumber ?? this.deployment.startBlock - 1);
  }

  /** Indexes from the checkpoint up to head − confirmations, after rewinding if the chain reorganised. */
  async runOnce(): Promise<IndexRun> {
    let checkpoint = await readCheckpoint(this.sql);
    let rewound = false;
    if (checkpoint && (await this.provider.getBlock(checkpoint.blockNumber))?.hash !== checkpoint.blockHash) {
      await this.rewind(checkpoint);
      checkpoint = await readCheckpoint(this.sql);
      rewound = true;
    }
    const target = (await this.provider.getBlockNumber()) - this.confirmations;
    const first = checkpoint ? checkpoint.blockNumber + 1 : this.deployment.startBlock;
    const tokens = new Set(await knownProgramTokens(this.sql));
    const result: IndexRun = { events: 0, rewound };
    for (let from = first; from <= target && !this.stopping; ) {
      const to = Math.min(from + this.batchBlocks - 1, target);
      const stored = await this.indexRange(from, to, checkpoint, tokens);
      // The chain or the checkpoint moved under this range: the next run starts over from what is stored.
      if (!stored) break;
      checkpoint = stored.checkpoint;
      result.fromBlock ??= from;
      result.toBlock = to;
      result.events += stored.events;
      from = to + 1;
    }
    return result;
  }

  private async indexRange(from: number, to: number, previous: Checkpoint | undefined, tokens: Set<string>) {
    const [start, end] = await Promise.all([this.provider.getBlock(from), this.provider.getBlock(to)]);
    if (!start || !end?.hash) return undefined;
    if (previous && start.parentHash !== previous.blockHash) return undefined;

    // The factory's logs name the tokens it created in this range; their own logs are read after.
    const core = await this.logs([this.deployment.contracts.factory, this.deployment.contracts.vault], from, to);
    const events = core.map((log) => this.decoder.decode(log));
    for (const event of events) {
      if (event.contract === "factory" && event.name === "ProgramCreated") tokens.add(event.args.token as string);
    }
    events.push(...(await this.logs([...tokens], from, to)).map((log) => this.decoder.decode(log)));

    // Logs from a block that was replaced while we read would be stored under a checkpoint that looks valid.
    if ((await this.provider.getBlock(to))?.hash !== end.hash) return undefined;
    if (events.some((event) => event.blockNumber === to && event.blockHash !== end.hash)) return undefined;

    const checkpoint = { blockNumber: to, blockHash: end.hash };
    if (!(await saveRange(this.sql, previous, events, checkpoint))) {
      this.options.log?.warn({ from, to }, "the indexer checkpoint moved under this run (another indexer?)");
      return undefined;
    }
    return { checkpoint, events: events.length };
  }

  private async logs(addresses: string[], fromBlock: number, toBlock: number): Promise<Log[]> {
    const logs: Log[] = [];
    for (let i = 0; i < addresses.length; i += ADDRESSES_PER_QUERY) {
      const address = addresses.slice(i, i + ADDRESSES_PER_QUERY);
      for (const log of await this.provider.getLogs({ address, fromBlock, toBlock })) {
        if (!log.removed) logs.push(log);
      }
    }
    return logs;
  }

  /**
   * Drops the last `reorgDepth` blocks of events and moves the checkpoint back. The newest event left must
   * still be on the chain; when it is not, the reorg was deeper and the rewind goes on below it.
   */
  private async rewind(stale: Checkpoint): Promise<void> {
    let target = Math.max(stale.blockNumber - this.reorgDepth, this.deployment.startBlock - 1);
    for (;;) {
      const anchor = await latestEventBlock(this.sql, target);
      if (!anchor || (await this.provider.getBlock(anchor.blockNumber))?.hash === anchor.blockHash) break;
      target = anchor.blockNumber - 1;
    }
    const block = target >= this.deployment.startBlock ? await this.provider.getBlock(target) : null;
    const to = block?.hash ? { blockNumber: target, blockHash: block.hash } : undefined;
    this.options.log?.warn({ stale, to }, "the chain no longer has the indexer checkpoint's block; rewinding");
    await rewindTo(this.sql, stale, to);
  }
}
