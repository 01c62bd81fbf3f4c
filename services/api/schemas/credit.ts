import { Type } from "typebox";
import { Address } from "./common.js";

const Hex32 = Type.String({ pattern: "^0x[0-9a-f]{64}$" });

const Factor = Type.Object({
  name: Type.Union([Type.Literal("tenure"), Type.Literal("regularity"), Type.Literal("volumeTrend"), Type.Literal("paymentBehaviour")]),
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
});
