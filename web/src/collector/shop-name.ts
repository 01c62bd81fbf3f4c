import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";

const storageKey = (address: string) => `recircle.shop.${address.toLowerCase()}`;

/**
 * What the payer's phone knows of a payee: its registered name; `unknown` when the network has no shop at that
 * address; `unchecked` when it could not ask (offline) and never asked before. Names read once are kept on the
 * phone, so a voucher signed offline still names a shop paid before.
 */
/** A shop's name this phone has read before, for lines that name a counterparty (the history). */
export const knownShopName = (address: string): string | undefined => localStorage.getItem(storageKey(address)) ?? undefined;

export type ShopName = { state: "loading" } | { state: "named"; name: string } | { state: "unknown" } | { state: "unchecked" };

export function useShopName(address: string | undefined): ShopName {
  const [shop, setShop] = useState<ShopName>({ state: "loading" });
  useEffect(() => {
    if (!address) return;
    const kept = localStorage.getItem(storageKey(address));
    setShop(kept ? { state: "named", name: kept } : { state: "loading" });
    let current = true;
    api.publicRetailer(address).then(
      ({ name }) => {
        localStorage.setItem(storageKey(address), name);
        if (current) setShop({ state: "named", name });
      },
      (error) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 404) {
          localStorage.removeItem(storageKey(address));
          setShop({ state: "unknown" });
        } else if (!kept) setShop({ state: "unchecked" });
      },
    );
    return () => void (current = false);
  }, [address]);
  return shop;
}
