import { Type } from "typebox";
import { Address } from "./common.js";
import { A, H } from "./examples.js";

const Hex32 = Type.String({ pattern: "^0x[0-9a-f]{64}$" });

const Factor = Type.Object({
  name: Type.Enum(["tenure", "regularity", "volumeTrend", "paymentBehaviour"]),
  value: Type.Integer({ minimum: 0, maximum: 1000 }),
  weight: Type.Integer({ minimum: 0, maximum: 100, description: "Percent of the score; the weights sum to 100" }),
  explanation: Type.String(),
});

export const CreditReport = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 1000, description: "floor(Σ value × weight / 100)" }),
  asOf: Type.String({ format: "date-time", description: "The instant the score is computed at (whole seconds)" }),
  factors: Type.Array(Factor),
  statement: Type.Object(
    {
      collector: Address,
      score: Type.Integer({ minimum: 0, maximum: 1000 }),
      asOf: Type.Integer({ minimum: 0, description: "Unix seconds" }),
      factorsHash: Hex32,
    },
    {
      description:
        'EIP-712 CreditStatement(address collector,uint16 score,uint64 asOf,bytes32 factorsHash), domain {name: "recircle", version: "1", chainId}; ' +
        "factorsHash = keccak256(abi.encode((string name,uint16 value,uint16 weight)[] factors))",
    },
  ),
  signature: Type.String({ pattern: "^0x[0-9a-f]{130}$" }),
  signer: Address,
}, {
  examples: [
    {
      score: 640,
      asOf: "2026-11-30T12:00:00.000Z",
      factors: [
        { name: "tenure", value: 500, weight: 25, explanation: "Collecting for 6 months" },
        { name: "regularity", value: 800, weight: 35, explanation: "A drop-off in 10 of the last 12 weeks" },
        { name: "volumeTrend", value: 600, weight: 20, explanation: "Weight up 20% on the quarter before" },
        { name: "paymentBehaviour", value: 500, weight: 20, explanation: "No payment failed" },
      ],
      statement: { collector: A.collector, score: 640, asOf: 1_795_996_800, factorsHash: H.root },
      signature: H.signature,
      signer: A.operator,
    },
  ],
});
