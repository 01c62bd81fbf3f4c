import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id } from "./common.js";

const Material = Type.Union(MATERIALS.map((m) => Type.Literal(m)) as [ReturnType<typeof Type.Literal<(typeof MATERIALS)[number]>>]);
const Bytes32 = Type.String({ pattern: "^0x[0-9a-f]{64}$", description: "0x-prefixed 32-byte hash" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const CreateLotBody = Type.Object(
  {
    programId: Id,
    material: Material,
    collectionIds: Type.Array(Id, {
      minItems: 1,
      maxItems: 10_000,
      uniqueItems: true,
      description: "Confirmed collections of the program, all of `material`, in no other lot",
    }),
  },
  { additionalProperties: false },
);

export const LotProofParams = Type.Object({
  id: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
  collectionId: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
});

export const Lot = Type.Object({
  id: Id,
  programId: Id,
  processorId: Id,
  material: Material,
  grams: Type.Integer(),
  kg: Type.String({ description: "grams / 1000 as a decimal string" }),
  status: Type.Union([Type.Literal("open"), Type.Literal("confirming"), Type.Literal("confirmed")]),
  collectionIds: Type.Array(Id),
  merkleRoot: Nullable(Bytes32),
  txHash: Nullable(Type.String()),
  blockNumber: Nullable(Type.Integer()),
  certificate: Nullable(Address),
  bonusEventIds: Type.Optional(Type.Array(Id, { description: "Of a confirm: the bonus credits it queued for minting" })),
});

export const LotProof = Type.Object({
  lotId: Id,
  eventId: Id,
  leaf: Bytes32,
  proof: Type.Array(Bytes32),
  root: Bytes32,
  certificate: Address,
});
