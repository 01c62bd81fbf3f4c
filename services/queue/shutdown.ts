/**
 * Closes a worker process's resources once, on SIGINT or SIGTERM, then exits 0: a supervisor's stop is an
 * orderly one (jobs in hand finish or return to the queue, connections close), never a kill.
 */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
