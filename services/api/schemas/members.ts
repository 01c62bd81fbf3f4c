import { Type } from "typebox";
import { Address, Id, Secret } from "./common.js";
import { page, pageQuery, QueryBoolean, QuerySearch } from "./pages.js";
import { A, member } from "./examples.js";

export const MemberKind = Type.Enum(["admin", "collection_point", "brand", "retailer", "sponsor", "processor"]);

export const CreateMemberBody = Type.Object(
  {
    kind: MemberKind,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.Optional(Address),
  },
  { additionalProperties: false, examples: [{ kind: "collection_point", name: "Bank Sampah Melati", address: A.point }] },
);

export const Member = Type.Object({
  id: Id,
  kind: MemberKind,
  name: Type.String(),
  address: Type.Union([Address, Type.Null()]),
  active: Type.Boolean(),
}, { $id: "Member", examples: [member] });

export const CreatedMember = Type.Object({
  ...Member.properties,
  apiKey: Secret("Shown once: only its hash is stored"),
}, { examples: [{ ...member, apiKey: "rck_3f9a1c0d5e7b2a4c6e8f0a1b3c5d7e9f" }] });

export const Me = Type.Object({
  ...Member.properties,
  programs: Type.Array(
    Type.Object({ programId: Id, role: Type.Enum(["issuer", "acceptor", "processor"]) }),
    { description: "Where this member may issue (a point, a brand), accept (a retailer) or form lots (a processor)" },
  ),
}, { examples: [{ ...member, programs: [{ programId: 1, role: "issuer" }] }] });

export const MemberListQuery = pageQuery({
  kind: Type.Optional(MemberKind),
  active: Type.Optional(QueryBoolean),
  q: Type.Optional(QuerySearch(200, "A part of the name, any case")),
});

export const MemberPage = page(Member, "Members, newest first");
