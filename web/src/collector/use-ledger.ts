import type { HDNodeWallet } from "ethers";
import { useEffect, useState } from "preact/hooks";
import type { CollectorLedger } from "./ledger-types.js";
import { collectorRead } from "./session.js";

/** Balances move only when a batch is mined: every 3 s is prompt enough and light on a phone's data. */
const POLL_MS = 3_000;

/** The wallet's balances and history, refreshed while the page is visible. */
export function useLedger(wallet: HDNodeWallet) {
  const [ledger, setLedger] = useState<CollectorLedger>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const load = async () => {
      if (document.visibilityState === "visible") {
        try {
          const next = await collectorRead<CollectorLedger>(wallet, `/v1/collectors/${wallet.address}`);
          if (!stopped) (setLedger(next), setError(undefined));
        } catch (failure) {
          if (!stopped) setError(failure);
        }
      }
      if (!stopped) timer = window.setTimeout(load, POLL_MS);
    };
    load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [wallet.address]);
  return { ledger, error };
}
