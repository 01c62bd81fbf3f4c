import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress } from "ethers";
import { generateApiKey, hashApiKey } from "../../../core/api-keys.js";
import { badRequest } from "../../../core/errors.js";
import { insertMember, type Member, type MemberKind } from "../../../db/members.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { CreateMemberBody, CreatedMember, Me } from "../../schemas/members.js";
import { programRolesOf } from "../../../db/programs.js";

/** Members who act on chain need an address: retailers receive tokens, sponsors deposit, processors sign lots. */
const NEEDS_ADDRESS: MemberKind[] = ["retailer", "sponsor"];

export const presentMember = (member: Member) => ({
  id: Number(member.id),
  kind: member.kind,
  name: member.name,
  address: member.address,
  active: member.active,
});

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/members",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Admit a member; its API key is in this answer only",
        tags: ["members"],
        security: [{ apiKey: [] }],
        body: CreateMemberBody,
        response: { 201: CreatedMember, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      memberOf(request);
      const { kind, name } = request.body;
      if (NEEDS_ADDRESS.includes(kind) && !request.body.address) {
        throw badRequest("RC_ADDRESS_REQUIRED", `a ${kind} needs an address`);
      }
      const apiKey = generateApiKey();
      const address = request.body.address ? getAddress(request.body.address.toLowerCase()) : null;
      const member = await insertMember(app.sql, { kind, name, address, apiKeyHash: hashApiKey(apiKey) });
      return reply.status(201).send({ ...presentMember(member), apiKey });
    },
  );

  app.get(
    "/members/me",
    {
      onRequest: app.requireMember("admin", "collection_point", "brand", "retailer", "sponsor", "processor"),
      schema: {
        summary: "Who this key belongs to and the programs it may act for: a page checks a key before keeping it",
        tags: ["members"],
        security: [{ apiKey: [] }],
        response: { 200: Me, ...errors(401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const roles = await programRolesOf(app.sql, member.id);
      return { ...presentMember(member), programs: roles.map((r) => ({ programId: Number(r.programId), role: r.role })) };
    },
  );
};

export default memberRoutes;
