import { Type } from "typebox";
import { Address, Id } from "./common.js";

export const MemberKind = Type.Union([
  Type.Literal("admin"),
  Type.Literal("collection_point"),
  Type.Literal("brand"),
  Type.Literal("retailer"),
  Type.Literal("sponsor"),
  Type.Literal("processor"),
]);

export const CreateMemberBody = Type.Object(
  {
    kind: MemberKind,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);

export const Member = Type.Object({
  id: Id,
  kind: MemberKind,
  name: Type.String(),
  address: Type.Union([Address, Type.Null()]),
  active: Type.Boolean(),
});

export const CreatedMember = Type.Object({
  ...Member.properties,
  apiKey: Type.String({ description: "Shown once: only its hash is stored" }),
});
