import { Type, type TProperties, type TSchema } from "typebox";

/**
 * The list routes' shared query and answer: `?cursor=&limit=`, newest first (by id), and `next`, the cursor of
 * the following page, null on the last one. Querystrings are not coerced, so numbers travel as patterned strings.
 */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The `next` of the previous page; opaque" })),
  limit: Type.Optional(Type.String({ pattern: "^(500|[1-4][0-9]{2}|[1-9][0-9]?)$", description: "1 to 500, default 50" })),
};

export const QueryId = Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Sequential id" });
export const QueryTime = Type.String({ format: "date-time", maxLength: 40 });
/** A search text: printable, no control characters (a NUL byte is refused here, not by PostgreSQL as a 500). */
export const QuerySearch = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: "^[^\\u0000-\\u001f\\u007f]+$", description });
export const QueryBoolean = Type.Enum(["true", "false"]);

/** A list route's query: the page fields and its own filters, nothing else. */
export const pageQuery = <P extends TProperties>(filters: P) =>
  Type.Object({ ...PageQuery, ...filters }, { additionalProperties: false });

/** A list route's answer: `{ items, next }`. */
export const page = <T extends TSchema>(item: T, description: string) => {
  const examples = (item as { examples?: unknown[] }).examples;
  return Type.Object(
    {
      items: Type.Array(item, { description }),
      next: Type.Union([Type.String(), Type.Null()], { description: "Cursor of the next page; null on the last page" }),
    },
    // A page of the item's own example, so every list shows what it holds.
    { description, ...(examples?.length ? { examples: [{ items: [examples[0]], next: null }] } : {}) },
  );
};
