import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { listMembers } from "../../../db/members.js";
import { programRolesOf } from "../../../db/programs.js";
import { admitMember } from "../../../flows/member-admin.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { CreateMemberBody, CreatedMember, Me, MemberListQuery, MemberPage } from "../../schemas/members.js";
import memberAdminRoutes from "./admin.js";
import { presentMember } from "./present.js";

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(memberAdminRoutes);

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
      const { member, apiKey } = await admitMember(app.sql, memberOf(request), request.body);
      return reply.status(201).send({ ...presentMember(member), apiKey });
    },
  );

  app.get(
    "/members",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Members, newest first: search by name, filter by kind and whether active",
        tags: ["members"],
        security: [{ apiKey: [] }],
        querystring: MemberListQuery,
        response: { 200: MemberPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { cursor, limit, kind, active, q } = request.query;
      const size = Number(limit ?? 50);
      const rows = await listMembers(app.sql, {
        below: cursorBound(cursor),
        limit: size + 1,
        ...(kind === undefined ? {} : { kind }),
        ...(active === undefined ? {} : { active: active === "true" }),
        ...(q === undefined ? {} : { search: q }),
      });
      const found = pageOf(rows, size);
      return { items: found.items.map(presentMember), next: found.next };
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
