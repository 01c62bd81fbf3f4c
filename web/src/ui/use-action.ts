import { useState } from "preact/hooks";

/**
 * A screen's action on the API, one at a time: `busy` while it runs (its buttons wait), and what it threw as
 * `problem`, shown in words until the next one starts. `after` runs once the action ends, whatever became of
 * it (a list read again, so the screen shows what the API now holds).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const run = async (work: () => Promise<unknown>, after?: () => Promise<unknown>) => {
    setProblem(undefined);
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
      await after?.();
    }
  };
  return { busy, problem, setProblem, run };
}
