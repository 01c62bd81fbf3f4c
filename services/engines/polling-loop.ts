import { Nap } from "./nap.js";

export interface PollingLoopOptions {
  /** The pause between rounds that found nothing more to do. */
  pollMs: number;
  /** The pause after a round that failed. */
  retryMs?: number;
  onError(error: unknown): void;
}

/**
 * The loop every engine runs: a round, then a nap unless the round says there is more to do at once; `wake()`
 * cuts the nap short (new work, or a stop), and a failed round is reported and tried again after `retryMs`.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly nap = new Nap();

  /** `round` resolves true when it did work and the next round should follow without a pause. */
  constructor(
    private readonly round: () => Promise<boolean>,
    private readonly options: PollingLoopOptions,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ends the loop after the round under way. */
  async stop(): Promise<void> {
    this.running = false;
    this.nap.wake();
    await this.loop;
  }

  wake(): void {
    this.nap.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let again = false;
      let wait = this.options.pollMs;
      try {
        again = await this.round();
      } catch (error) {
        this.options.onError(error);
        wait = this.options.retryMs ?? 1_000;
      }
      if (!again && this.running) await this.nap.take(wait);
    }
  }
}

/**
 * An engine that runs one PollingLoop and follows work it started (receipts it waits for) beyond a round:
 * `stop()` ends the loop, then waits for that work; each piece of work done wakes the loop for the next.
 */
export abstract class PollingEngine {
  private readonly loop: PollingLoop;
  private readonly following = new Set<Promise<void>>();

  constructor(options: PollingLoopOptions) {
    this.loop = new PollingLoop(() => this.round(), options);
  }

  /** One round: true when it did work and the next should follow at once. */
  protected abstract round(): Promise<boolean>;

  start(): void {
    this.loop.start();
  }

  /** Stops starting new work and waits for the work already started. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all(this.following);
  }

  /** New work arrived: the next round need not wait for the poll. */
  notify(): void {
    this.loop.wake();
  }

  protected get running(): boolean {
    return this.loop.isRunning;
  }

  /** How much started work is not finished yet. */
  protected get followed(): number {
    return this.following.size;
  }

  /** Keeps `work` (which handles its own errors) until it ends, then wakes the loop. */
  protected follow(work: Promise<void>): void {
    const followed = work.finally(() => {
      this.following.delete(followed);
      this.loop.wake();
    });
    this.following.add(followed);
  }
}
