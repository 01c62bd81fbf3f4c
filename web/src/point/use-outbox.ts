import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../api.js";
import type { CreditEvent } from "../../../services/api/client/types.js";
import { type CollectorId, type DropOffBody, forgetKept, type Kept, keepCollector, keepDropOff, keptItems, type Refusal, sendKept } from "./outbox.js";

/** How often what is kept is tried again while any waits: the `online` event alone can be missed or lie. */
const RETRY_MS = 5000;

/** What recording one drop-off came to: accepted now, refused now (said why), or kept to be sent later. */
export type RecordOutcome = { event: CreditEvent } | { refused: Refusal } | { kept: true };

export interface Outbox {
  /** Undefined until read from the phone. */
  items: Kept[] | undefined;
  record(key: string, body: DropOffBody): Promise<RecordOutcome>;
  keepCollector(who: CollectorId): Promise<void>;
  sendNow(): Promise<void>;
  forget(item: Kept): Promise<void>;
}

/**
 * The point's kept work, sent when the connection returns (the `online` event, and a timer while anything
 * waits). Each accepted drop-off goes to `accepted`; a revoked key (401) to `onError`.
 */
export function useOutbox(memberKey: string, accepted: (event: CreditEvent) => void, onError: (error: ApiError) => void): Outbox {
  const [items, setItems] = useState<Kept[]>();
  const handlers = useRef({ accepted, onError });
  handlers.current = { accepted, onError };
  const reload = async () => setItems(await keptItems(memberKey));

  // Every answer this screen got, by Idempotency-Key: a drop-off may be sent by a round another call started.
  const answers = useRef(new Map<string, CreditEvent>());
  const send = async () => {
    const result = await sendKept(memberKey, (event, item) => {
      if (item.kind === "drop-off") answers.current.set(item.key, event);
      handlers.current.accepted(event);
    });
    await reload();
    if (result.stopped?.status === 401) handlers.current.onError(result.stopped);
    return result;
  };

  const waiting = items?.some((item) => !item.refused) ?? false;
  useEffect(() => {
    void reload().then(() => send());
    const online = () => void send();
    addEventListener("online", online);
    return () => removeEventListener("online", online);
  }, [memberKey]);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void send(), RETRY_MS);
    return () => clearInterval(timer);
  }, [waiting, memberKey]);

  return {
    items,
    async record(key, body) {
      await keepDropOff(memberKey, key, body);
      const result = await send();
      const mine = async () => (await keptItems(memberKey)).find((item) => item.kind === "drop-off" && item.key === key);
      // A round that was ending as this one was kept: one more, so it is not left for the timer.
      if (!result.stopped && !answers.current.has(key) && !(await mine())?.refused) await send();
      const event = answers.current.get(key);
      if (event) return { event };
      const kept = await mine();
      // Refused at once, at the counter: said in the form and not kept, so the point can correct it.
      if (kept?.refused) {
        await forgetKept(kept);
        await reload();
        return { refused: kept.refused };
      }
      return { kept: true };
    },
    async keepCollector(who) {
      await keepCollector(memberKey, who);
      await reload();
    },
    sendNow: async () => void (await send()),
    async forget(item) {
      await forgetKept(item);
      await reload();
    },
  };
}
