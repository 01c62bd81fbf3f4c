import type { Settled } from "../core/settled.js";

export interface GroupCommitOptions<In> {
  /** The most requests one group takes. */
  max: number;
  /** Groups run at once (each holds a database connection while it runs). */
  maxInFlight: number;
  /** Requests of one key never share a group: the later one waits for the next. */
  keyOf(request: In): string;
}

interface Waiting<In, Out> {
  request: In;
  resolve(value: Out): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent requests into groups that `run` carries out together (one database transaction for
 * many). No timer: a request that finds a group slot free starts one on the next turn of the event loop, with
 * whatever else arrived in this one, so a lone request waits for nothing; while every slot is busy, requests
 * queue, and the first group to finish takes the next up to `max` of them. The busier, the bigger the groups.
 * `run` answers each request on its own; if it throws, every request of the group is refused with its error.
 */
export class GroupCommit<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly options: GroupCommitOptions<In>,
    private readonly run: (requests: In[]) => Promise<Settled<Out>[]>,
  ) {}

  submit(request: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (this.scheduled || this.running >= this.options.maxInFlight) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.startGroups();
      });
    });
  }

  private startGroups(): void {
    while (this.running < this.options.maxInFlight && this.waiting.length > 0) void this.runGroup(this.takeGroup());
  }

  /** The longest run of waiting requests, first come first, up to `max`, with no key twice. */
  private takeGroup(): Waiting<In, Out>[] {
    const keys = new Set<string>();
    let size = 0;
    while (size < this.waiting.length && size < this.options.max) {
      const key = this.options.keyOf(this.waiting[size]!.request);
      if (keys.has(key)) break;
      keys.add(key);
      size++;
    }
    return this.waiting.splice(0, size);
  }

  private async runGroup(group: Waiting<In, Out>[]): Promise<void> {
    this.running++;
    try {
      const settled = await this.run(group.map((waiting) => waiting.request));
      group.forEach((waiting, i) => {
        const outcome = settled[i]!;
        if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    } finally {
      this.running--;
      this.startGroups();
    }
  }
}
