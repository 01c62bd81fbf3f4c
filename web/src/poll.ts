import { useEffect, useRef } from "preact/hooks";

/**
 * Calls `tick` every `ms` while `active`: a screen showing a chain write refreshes itself until the write
 * is final, then stops (a cheap phone's battery and data). `tick` reports its own errors.
 */
export function usePolling(active: boolean, tick: () => unknown, ms = 2000) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: number | undefined;
    const loop = async () => {
      await Promise.resolve(latest.current()).catch(() => undefined);
      if (!stopped) timer = window.setTimeout(loop, ms);
    };
    timer = window.setTimeout(loop, ms);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [active, ms]);
}

/** Statuses that still change on their own (a held credit waits for a person: it is polled too, slowly). */
export const MOVING = new Set(["pending", "submitted", "included"]);
