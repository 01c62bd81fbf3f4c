import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import type { CollectionDay, DayDropOff } from "../../../services/api/client/types.js";

/** Rows a page: a phone screen or two. */
export const DAY_PAGE = 15;
/** The API's largest page: a refresh reads every row shown in one request, up to this. */
const MOST = 500;

/** The phone's own time zone: the point's day runs from its local midnight (the API counts in UTC without one). */
const phoneTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;

export interface DayPages {
  /** The day's bounds and its totals by material, as the API summed them for the whole day. */
  day: Pick<CollectionDay, "day" | "totals"> | undefined;
  items: DayDropOff[] | undefined;
  hasMore: boolean;
  busy: boolean;
  problem: unknown;
  /** No connection: what was read stays shown, and is read again when it returns. */
  unreachable: boolean;
  refresh(): Promise<void>;
  more(): Promise<void>;
}

/**
 * The point's day for one program, read a page at a time. `refresh` reads again every row already shown, in one
 * request, so statuses move and new drop-offs come in on top without losing the pages opened by "More"; the two
 * never run at once (a poll landing after "More" would otherwise drop the page it added).
 */
export function useDayPages(memberKey: string, programId: number, onError: (error: unknown) => void): DayPages {
  const [day, setDay] = useState<DayPages["day"]>();
  const [items, setItems] = useState<DayDropOff[]>();
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [unreachable, setUnreachable] = useState(false);
  const shown = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());

  // Read when the call runs, not when it was queued: a refresh before it may have moved the end of the list.
  const nextCursor = useRef<string | null>(null);

  /** The first rows (`more` false) or the page after the last row shown. */
  const read = (more: boolean) => {
    const run = async () => {
      const cursor = more ? nextCursor.current : null;
      if (more && cursor === null) return;
      setBusy(true);
      try {
        const limit = cursor === null ? Math.min(MOST, Math.max(DAY_PAGE, shown.current)) : DAY_PAGE;
        const timeZone = phoneTimeZone();
        const page = await api.collectionDay(
          { programId: String(programId), limit: String(limit), ...(timeZone ? { timeZone } : {}), ...(cursor ? { cursor } : {}) },
          { apiKey: memberKey },
        );
        setDay({ day: page.day, totals: page.totals });
        setItems((before) => {
          const all = cursor === null ? page.items : [...(before ?? []), ...page.items];
          shown.current = all.length;
          return all;
        });
        nextCursor.current = page.next;
        setNext(page.next);
        setProblem(undefined);
        setUnreachable(false);
      } catch (error) {
        // No connection is not a fault: the list is read again when it returns, and what is kept is shown meanwhile.
        if (error instanceof ApiError && error.status === 0) return setUnreachable(true);
        setProblem(error);
        onError(error);
      } finally {
        setBusy(false);
      }
    };
    queue.current = queue.current.then(run);
    return queue.current;
  };

  useEffect(() => {
    shown.current = 0;
    setItems(undefined);
    setDay(undefined);
    nextCursor.current = null;
    void read(false);
    const online = () => void read(false);
    addEventListener("online", online);
    return () => removeEventListener("online", online);
  }, [programId]);

  return {
    day,
    items,
    hasMore: next !== null,
    busy,
    problem,
    unreachable,
    refresh: () => read(false),
    more: () => read(true),
  };
}
