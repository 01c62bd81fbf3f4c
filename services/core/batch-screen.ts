/** An item a batch call refused, with what `refuses` said about it (the decoded revert, say). */
export interface Refused<T, R> {
  item: T;
  refusal: R;
}

export interface Screened<T, R> {
  /** The largest run found that the call takes, in order: the batch to send now. */
  accepted: T[];
  /** The items the call stopped at, in order. */
  refused: Refused<T, R>[];
  /** Left unchecked once `maxRefused` were found: neither sent nor refused this time. */
  unchecked: T[];
  /** How many times `refuses` was asked. */
  calls: number;
}

/**
 * Splits a batch a call would refuse into the items it stops at and the rest, asking `refuses(items)` (the
 * node's dry run: undefined when the call goes through) as few times as halving allows.
 *
 * A batch call handles its items in order and reverts at the first one it cannot take, given what the items
 * before it did (a credit that takes the supply past 2^256 - 1 only after the earlier ones). So a prefix is
 * refused if and only if it reaches that item: refusal is monotone in the prefix length, and a binary search
 * finds the item in ceil(log2 n) calls. It is set aside and the search goes on behind the accepted run, until
 * the whole remainder goes through or `maxRefused` items were found (the rest then wait for another turn):
 * at most 1 + maxRefused × (ceil(log2 n) + 1) calls, whatever the batch holds.
 */
export async function screenBatch<T, R>(
  items: readonly T[],
  refuses: (items: T[]) => Promise<R | undefined>,
  maxRefused: number,
): Promise<Screened<T, R>> {
  let calls = 1;
  let refusal = await refuses([...items]);
  if (refusal === undefined) return { accepted: [...items], refused: [], unchecked: [], calls };
  let accepted: T[] = [];
  let rest = [...items];
  const refused: Refused<T, R>[] = [];
  for (;;) {
    // Invariant: `accepted` goes through; `accepted` + `rest` is refused, with `refusal`.
    let passes = 0;
    let stops = rest.length;
    while (stops - passes > 1) {
      const middle = (passes + stops) >> 1;
      calls += 1;
      const answer = await refuses([...accepted, ...rest.slice(0, middle)]);
      if (answer === undefined) passes = middle;
      else [stops, refusal] = [middle, answer];
    }
    refused.push({ item: rest[stops - 1]!, refusal: refusal! });
    accepted = [...accepted, ...rest.slice(0, stops - 1)];
    rest = rest.slice(stops);
    if (rest.length === 0) return { accepted, refused, unchecked: [], calls };
    if (refused.length >= maxRefused) return { accepted, refused, unchecked: rest, calls };
    calls += 1;
    refusal = await refuses([...accepted, ...rest]);
    if (refusal === undefined) return { accepted: [...accepted, ...rest], refused, unchecked: [], calls };
  }
}
