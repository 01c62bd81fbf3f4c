/**
 * The collector's wallet from what their phone shows: a plain address or an EIP-681 `ethereum:` URI
 * (`ethereum:0x…`, optionally `@chainId` or a query after it). Undefined for anything else.
 */
export function collectorAddress(text: string): string | undefined {
  const match = /^(?:ethereum:)?(?:pay-)?(0x[0-9a-fA-F]{40})(?:[@/?].*)?$/i.exec(text.trim());
  return match?.[1];
}
