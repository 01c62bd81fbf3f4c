import { useEffect, useState } from "preact/hooks";
import type { Page } from "../../../services/api/client/types.js";

/**
 * A list route read a page at a time: the first page whenever `deps` change (a filter, a reload), the next
 * one on `more()`, appended, following the answer's cursor.
 */
export interface Pages<T> {
  items: T[] | undefined;
  problem: unknown;
  busy: boolean;
  hasMore: boolean;
  more(): Promise<void>;
  reload(): Promise<void>;
}

export function usePages<T>(read: (cursor: string | undefined) => Promise<Page<T>>, deps: unknown[]): Pages<T> {
  const [items, setItems] = useState<T[]>();
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const load = async (cursor: string | undefined, append: boolean) => {
    setBusy(true);
    try {
      const page = await read(cursor);
      setItems((before) => (append ? [...(before ?? []), ...page.items] : page.items));
      setNext(page.next);
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(undefined, false), deps);
  return {
    items,
    problem,
    busy,
    hasMore: next !== null,
    more: () => (next === null ? Promise.resolve() : load(next, true)),
    reload: () => load(undefined, false),
  };
}
