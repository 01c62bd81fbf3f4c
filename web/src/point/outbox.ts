import { api, ApiError } from "../api.js";
import type { CollectionBody, CreditEvent } from "../../../services/api/client/types.js";
import { idbAll, idbDelete, idbPut } from "../wallet/idb.js";

export type DropOffBody = Pick<CollectionBody, "programId" | "collector" | "phone" | "material" | "grams">;

/** Why the API refused a kept item (a 4xx): said to the point, never sent again. */
export interface Refusal {
  status: number;
  code: string;
}

/**
 * What the point did that the API has not answered yet, kept on the phone (IndexedDB) in the order it was
 * done: a collector entered by their QR or, without a smartphone, by their phone number (E.164: kept on this
 * phone only until the API has it, which keeps only its salted hash), registered before their drop-offs are sent, and the drop-offs, each
 * with the Idempotency-Key it was first sent with, so a retry after a lost answer is applied once.
 */
export type Kept = { id: string; owner: string; seq: number; keptAt: string; refused?: Refusal } & (
  | { kind: "collector"; address: string }
  | { kind: "phone"; phone: string }
  | { kind: "drop-off"; key: string; body: DropOffBody }
);

let last = 0;
/** Increasing within this phone, even for two items kept in the same millisecond: the order they are sent in. */
const nextSeq = () => (last = Math.max(last + 1, Date.now() * 1000));

/**
 * Whose a kept item is, without keeping the key itself: the first 16 hex digits of its SHA-256. Another point
 * signed in on this phone neither sees nor sends them; they wait for theirs to sign in again.
 */
async function ownerOf(memberKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(memberKey)));
  return [...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The member's kept items, in the order they are sent. */
export async function keptItems(memberKey: string): Promise<Kept[]> {
  const owner = await ownerOf(memberKey);
  return (await idbAll<Kept>("outbox")).filter((item) => item.owner === owner).sort((a, b) => a.seq - b.seq);
}

/** Who a collector is: their wallet, or (without a smartphone) their phone number in E.164 form. */
export type CollectorId = { address: string } | { phone: string };

/** A collector entered without an answer: registered (idempotently: a known one answers 200) before what follows. */
export async function keepCollector(memberKey: string, who: CollectorId): Promise<void> {
  const name = "address" in who ? who.address.toLowerCase() : who.phone;
  const items = await keptItems(memberKey);
  const same = (item: Kept) => (item.kind === "collector" ? item.address.toLowerCase() === name : item.kind === "phone" && item.phone === name);
  if (items.some((item) => same(item) && !item.refused)) return;
  const owner = await ownerOf(memberKey);
  const kept = { owner, seq: nextSeq(), keptAt: new Date().toISOString() };
  const item: Kept =
    "address" in who ? { kind: "collector", id: `${owner}:collector:${name}`, ...kept, address: who.address } : { kind: "phone", id: `${owner}:phone:${name}`, ...kept, phone: who.phone };
  await idbPut(item.id, item, "outbox");
}

/** A drop-off, kept before it is first sent: whatever happens to the request, it is not lost. */
export async function keepDropOff(memberKey: string, key: string, body: DropOffBody): Promise<void> {
  const owner = await ownerOf(memberKey);
  const item: Kept = { kind: "drop-off", id: `${owner}:drop-off:${key}`, owner, seq: nextSeq(), keptAt: new Date().toISOString(), key, body };
  await idbPut(item.id, item, "outbox");
}

export const forgetKept = (item: Kept) => idbDelete(item.id, "outbox");

/** A 4xx other than a timeout or too many requests: the same request would be refused again. */
export const isRefusal = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;

/** No answer, a timeout, too many requests or the server failing: the same request may be sent again later. */
export const isUnanswered = (error: unknown): error is ApiError => error instanceof ApiError && error.status !== 401 && !isRefusal(error);

export type SendResult = { sent: number; stopped?: ApiError };

let sending: Promise<SendResult> | undefined;

/**
 * Sends what is kept, oldest first, one at a time. An accepted item leaves the phone (a drop-off's answer goes
 * to `accepted`); a refused one stays, marked with why, and is skipped from then on; anything else (no answer,
 * a 5xx, a revoked key) stops the round, to be tried again with the same keys. One round at a time.
 */
export function sendKept(memberKey: string, accepted: (event: CreditEvent, item: Kept) => void): Promise<SendResult> {
  sending ??= (async () => {
    let sent = 0;
    try {
      // Read again after each item: one kept while this round runs is sent in it, in its place.
      for (let cursor = 0; ; ) {
        const item = (await keptItems(memberKey)).find((kept) => !kept.refused && kept.seq > cursor);
        if (!item) break;
        cursor = item.seq;
        try {
          if (item.kind === "collector") await api.registerCollector({ address: item.address }, { apiKey: memberKey });
          else if (item.kind === "phone") await api.registerCollector({ phone: item.phone }, { apiKey: memberKey });
          else accepted(await api.recordCollection(item.body, { apiKey: memberKey, idempotencyKey: item.key }), item);
          await forgetKept(item);
          sent++;
        } catch (error) {
          if (!isRefusal(error) || error.status === 401) return { sent, stopped: error instanceof ApiError ? error : new ApiError(0, "RC_NETWORK", String(error)) };
          await idbPut(item.id, { ...item, refused: { status: error.status, code: error.code } }, "outbox");
        }
      }
      return { sent };
    } finally {
      sending = undefined;
    }
  })();
  return sending;
}
