import { Type } from "typebox";

const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Number(), detail: Type.Optional(Type.String()) });

/** GET /health: 200 when every dependency answers, 503 (same shape) when one does not. */
export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  database: Check,
  redis: Check,
  chain: Type.Object({ ...Check.properties, chainId: Type.Integer(), blockNumber: Type.Optional(Type.Integer()) }),
});
