import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id } from "./common.js";
import { page, pageQuery, QueryId, QueryTime } from "./pages.js";
import { A, H, lot } from "./examples.js";

const Material = Type.Enum(MATERIALS);
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
  { additionalProperties: false, examples: [{ programId: 1, material: "PET", collectionIds: [101, 104, 110] }] },
);

export const LotProofParams = Type.Object({
  id: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
  collectionId: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
});

const LotStatus = Type.Enum(["open", "confirming", "confirmed", "cancelled"], {
  description: "open → confirming → confirmed; or open → cancelled (its drop-offs freed for another lot)",
});

export const Lot = Type.Object({
  id: Id,
  programId: Id,
  processorId: Id,
  material: Material,
  grams: Type.Integer(),
  kg: Type.String({ description: "grams / 1000 as a decimal string" }),
  status: LotStatus,
  collectionIds: Type.Array(Id),
  merkleRoot: Nullable(Bytes32),
  txHash: Nullable(Type.String()),
  blockNumber: Nullable(Type.Integer()),
  certificate: Nullable(Address),
  bonusEventIds: Type.Optional(Type.Array(Id, { description: "Of a confirm: the bonus credits it queued for minting" })),
}, { examples: [lot] });

export const LotProof = Type.Object({
  lotId: Id,
  eventId: Id,
  leaf: Bytes32,
  proof: Type.Array(Bytes32),
  root: Bytes32,
  certificate: Address,
}, { examples: [{ lotId: 9, eventId: 104, leaf: H.leaf, proof: [H.tx1, H.tx2], root: H.root, certificate: A.lotCertificate }] });

export const LotCandidatesQuery = Type.Object(
  {
    programId: QueryId,
    material: Material,
    pointId: Type.Optional(QueryId),
    since: Type.Optional(QueryTime),
    until: Type.Optional(QueryTime),
  },
  { additionalProperties: false },
);

export const LotCandidates = Type.Object({
  items: Type.Array(
    Type.Object({ id: Id, pointId: Id, grams: Type.Integer(), createdAt: Type.String({ format: "date-time" }) }),
    { description: "Confirmed drop-offs of the program and material in no lot, newest first, at most 500" },
  ),
}, { examples: [{ items: [{ id: 110, pointId: 2, grams: 4000, createdAt: "2026-11-29T08:00:00.000Z" }] }] });

export const LotListQuery = pageQuery({ programId: Type.Optional(QueryId), status: Type.Optional(LotStatus) });
export const LotPage = page(Lot, "Lots, newest first");
