import { signal } from "@preact/signals";
import { loadNetwork } from "../network.js";

/** The network stablecoin's symbol (tUSD on the dev chain), for labelling money; read once per page. */
export const currency = signal("");
loadNetwork().then((network) => (currency.value = network.stablecoin.symbol), () => undefined);
