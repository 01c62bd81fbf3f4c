import { Type } from "typebox";

const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Number(), detail: Type.Optional(Type.String()) });

/** GET /health: 200 when every dependency answers, 503 (same shape) when one does not. */
export const Health = Type.Object({
  status: Type.Enum(["ok", "degraded"]),
  database: Check,
  redis: Check,
  chain: Type.Object({ ...Check.properties, chainId: Type.Integer(), blockNumber: Type.Optional(Type.Integer()) }),
}, {
  examples: [
    {
      status: "ok",
      database: { ok: true, latencyMs: 1.2 },
      redis: { ok: true, latencyMs: 0.4 },
      chain: { ok: true, latencyMs: 3.1, chainId: 31337, blockNumber: 2048 },
    },
  ],
});
