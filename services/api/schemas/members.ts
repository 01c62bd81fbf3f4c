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

export const Me = Type.Object({
  ...Member.properties,
  programs: Type.Array(
    Type.Object({ programId: Id, role: Type.Union([Type.Literal("issuer"), Type.Literal("acceptor")]) }),
    { description: "Where this member may issue (a point, a brand) or accept (a retailer)" },
  ),
});
