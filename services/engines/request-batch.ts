/** One caller's request inside a batch, answered on its own. */
export interface Waiting<Out> {
  id: bigint;
  resolve(outcome: Out): void;
  reject(error: unknown): void;
}

/**
 * Gathers the requests of concurrent callers (a worker's jobs) into batches: `run` gets them when `max` are
 * waiting or `ms` after the first, and answers each. A batch that throws rejects every request it did not
 * answer yet (an answered promise ignores it), and the queue retries those jobs.
 */
export class RequestBatch<Out> {
  private waiting: Waiting<Out>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { max: number; ms: number },
    private readonly run: (batch: Waiting<Out>[]) => Promise<void>,
  ) {}

  request(id: bigint): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      if (this.waiting.length >= this.options.max) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.ms);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.waiting.length);
    if (batch.length === 0) return;
    try {
      await this.run(batch);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
