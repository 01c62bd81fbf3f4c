import { Type } from "typebox";
import { Address } from "./common.js";
import { A } from "./examples.js";

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const Seconds = (description: string) => Type.Number({ minimum: 0, description });

/** GET /v1/admin/system: the figures /metrics has, for the operator's console (each read at most every few seconds). */
export const SystemFigures = Type.Object({
  queues: Type.Array(
    Type.Object({
      name: Type.String({ description: "payments, redemptions, webhooks" }),
      waiting: Count(),
      active: Count(),
      delayed: Count(),
      failed: Count(),
    }),
    { description: "BullMQ jobs by state; a queue Redis did not answer for is left out" },
  ),
  mintOutbox: Type.Union([
    Type.Object({
      pending: Count(),
      submitted: Count(),
      held: Count(),
      failed: Count(),
      oldestAgeSeconds: Seconds("Age of the oldest event pending or submitted: how far minting trails acceptance"),
    }),
    Type.Null(),
  ]),
  webhooks: Type.Union([
    Type.Object({
      undispatched: Count(),
      oldestAgeSeconds: Seconds("Age of the oldest webhook event not yet dispatched"),
      recentFailures: Count("Delivery attempts of the last windowMinutes without a 2xx answer"),
      windowMinutes: Count(),
    }),
    Type.Null(),
  ]),
  indexer: Type.Union([
    Type.Object({
      headBlock: Count(),
      lagBlocks: Type.Integer({ description: "Chain head minus the indexer's checkpoint (includes CHAIN_CONFIRMATIONS)" }),
      checkpointAgeSeconds: Type.Union([Seconds("Since the indexer last moved its checkpoint"), Type.Null()], { description: "null before the indexer's first range" }),
    }),
    Type.Null(),
  ]),
  signers: Type.Array(
    Type.Object({
      role: Type.Enum(["operator", "payments", "redemptions"]),
      address: Address,
      balanceEth: Type.Union([Type.Number(), Type.Null()], { description: "null when the node did not answer" }),
      low: Type.Union([Type.Boolean(), Type.Null()], {
        description: "Would not pay SIGNER_LOW_BALANCE_TXS more transactions; null when the signer sends from another process (see its /metrics)",
      }),
    }),
  ),
}, {
  examples: [
    {
      queues: [
        { name: "payments", waiting: 0, active: 1, delayed: 0, failed: 0 },
        { name: "webhooks", waiting: 2, active: 0, delayed: 1, failed: 0 },
      ],
      mintOutbox: { pending: 3, submitted: 0, held: 1, failed: 0, oldestAgeSeconds: 4.2 },
      webhooks: { undispatched: 0, oldestAgeSeconds: 0, recentFailures: 0, windowMinutes: 15 },
      indexer: { headBlock: 2048, lagBlocks: 3, checkpointAgeSeconds: 2.5 },
      signers: [{ role: "operator", address: A.operator, balanceEth: 9.87, low: false }],
    },
  ],
});
