/**
 * Writing accepted events, each once per Idempotency-Key: alone in its own transaction, or with the events
 * that arrived together in one (group commit). Either way each request gets the answer it would have had
 * alone, and only once its row is committed.
 */
import { type Caps, holdReasons, holdReasonsInOrder } from "../core/fraud.js";
import type { Settled } from "../core/settled.js";
import { type CreditEvent, eventContext, groupContexts, insertEvent, insertEvents, type NewEvent } from "../db/events.js";
import { type KeyedRequest, once, onceEach, type StoredResponse } from "../db/idempotency.js";
import { holdBonus } from "../db/lots.js";
import type { Sql } from "../db/sql.js";
import { GroupCommit } from "../engines/group-commit.js";

/** An accepted event ready to be written: its key, the program's caps, the bonus held back, its answer. */
export interface EventToRecord extends KeyedRequest {
  caps: Caps;
  event: NewEvent;
  bonus: bigint;
  /** The answer stored with the key and replayed to a retry. */
  present(event: CreditEvent): unknown;
}

export type Recorded = StoredResponse<unknown> & { replayed: boolean };

/** Writes accepted events: `record` resolves once the event's row (or its replayed answer) is committed. */
export interface EventRecorder {
  record(request: EventToRecord): Promise<Recorded>;
}

/** Records one event in a transaction of its own. */
export function recordAlone(sql: Sql, request: EventToRecord): Promise<Recorded> {
  return once(sql, request.memberId, request.key, request.fingerprint, {
    prepare: (db) => eventContext(db, request.event),
    handle: async (db, context) => {
      const reasons = holdReasons(request.caps, { credit: request.event.credit, ...context });
      const inserted = await insertEvent(db, request.event, reasons);
      if (request.bonus > 0n) await holdBonus(db, inserted.id, request.bonus);
      return { statusCode: 202, body: request.present(inserted) };
    },
  });
}

/**
 * Records a group in one transaction: the keys and the events each in one statement, the caps of each event
 * assessed with those before it in the group counted, as if they had come one by one in this order.
 */
export function recordTogether(sql: Sql, requests: readonly EventToRecord[]): Promise<Settled<Recorded>[]> {
  return onceEach(sql, requests, {
    prepare: (db) => groupContexts(db, requests.map((request) => request.event)),
    handle: async (db, committed, fresh) => {
      const events = fresh.map((i) => requests[i]!);
      const reasons = holdReasonsInOrder(events.map(({ caps, event }, j) => ({ caps, ...event, committed: committed[fresh[j]!]! })));
      const inserted = await insertEvents(db, events.map(({ event, bonus }, j) => ({ event, bonus, reasons: reasons[j]! })));
      return inserted.map((row, j) => ({ statusCode: 202, body: events[j]!.present(row) }));
    },
  });
}

/** What a group that failed together does: each request on its own, in order, so one's error stays its own. */
async function recordOneByOne(sql: Sql, requests: readonly EventToRecord[]): Promise<Settled<Recorded>[]> {
  const settled: Settled<Recorded>[] = [];
  for (const request of requests) {
    settled.push(await recordAlone(sql, request).then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, error })));
  }
  return settled;
}

export interface GroupObserver {
  /** A group of this many requests is being written (1: a request alone). */
  grouped?(size: number): void;
  /** A group failed together (any error: a bad row, a lost connection) and is tried one by one. */
  failedTogether?(size: number, error: unknown): void;
}

/**
 * Group commit: requests that arrive while others are being written share one transaction (up to `max`), a
 * lone one has its own as before. A group that fails is retried one by one, so a request's error never takes
 * its neighbours with it: the failed transaction stored nothing, and a replayed key answers as it would have.
 */
export function groupRecorder(sql: Sql, options: { max: number; maxInFlight: number; observe?: GroupObserver }): EventRecorder {
  const groups = new GroupCommit<EventToRecord, Recorded>(
    { max: options.max, maxInFlight: options.maxInFlight, keyOf: (request) => `${request.memberId}:${request.key}` },
    async (requests) => {
      options.observe?.grouped?.(requests.length);
      if (requests.length === 1) return recordOneByOne(sql, requests);
      try {
        return await recordTogether(sql, requests);
      } catch (error) {
        options.observe?.failedTogether?.(requests.length, error);
        return recordOneByOne(sql, requests);
      }
    },
  );
  return { record: (request) => groups.submit(request) };
}

/** Every event in a transaction of its own (scripts, tests, and a deployment that turns group commit off). */
export const aloneRecorder = (sql: Sql): EventRecorder => ({ record: (request) => recordAlone(sql, request) });
