/** A decimal string from the API shown with at most `places` decimals, trailing zeros dropped; never a float. */
export function formatAmount(amount: string, places = 2): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  const cut = fraction.slice(0, places).replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return cut === "" ? grouped : `${grouped}.${cut}`;
}

/** The first 0x address in a scanned or typed code: a bare address, `ethereum:0x…@1`, or a URL holding one. */
export function addressIn(text: string): string | undefined {
  return /0x[0-9a-fA-F]{40}/.exec(text)?.[0];
}

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** Grams as a person weighs: "850 g" under a kilogram, "40 kg" or "1.5 kg" above. */
export const formatWeight = (grams: number) => (grams < 1000 ? `${grams} g` : `${Number((grams / 1000).toFixed(2))} kg`);
