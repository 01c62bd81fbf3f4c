import { useEffect, useState } from "preact/hooks";
import type { CollectorLedger } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { collectorRead } from "./session.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";

/** Balances move only when a batch is mined: every 3 s is prompt enough and light on a phone's data. */
const POLL_MS = 3_000;

const storageKey = (address: string) => `recircle.ledger.${address}`;

/**
 * The wallet's balances and history, refreshed while the page is visible. The last copy read is kept on the
 * phone and shown (with the error) when there is no connection, so a collector can still pay offline.
 */
export function useLedger(wallet: CollectorSigner) {
  const [ledger, setLedger] = useState<CollectorLedger | undefined>(() => {
    const kept = localStorage.getItem(storageKey(wallet.address));
    return kept ? (JSON.parse(kept) as CollectorLedger) : undefined;
  });
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const load = async () => {
      if (document.visibilityState === "visible") {
        try {
          const next = await collectorRead(wallet, (token) => api.collectorLedger(wallet.address, { apiKey: token }));
          localStorage.setItem(storageKey(wallet.address), JSON.stringify(next));
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
