import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { notFound } from "../../../core/errors.js";
import { findMember } from "../../../db/members.js";
import { programRolesOf } from "../../../db/programs.js";
import { rotateKey, setActive } from "../../../flows/member-admin.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreatedMember, Me, Member } from "../../schemas/members.js";
import { presentMember } from "./present.js";

/** The admin's hold on members: read one with its roles; deactivate, reactivate, rotate its key (each audited with the change). */
const memberAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { onRequest: app.requireMember("admin") };
  const schema = { tags: ["members"], security: [{ apiKey: [] }], params: IdParams };

  for (const [verb, active] of [["deactivate", false], ["reactivate", true]] as const) {
    app.post(
      `/members/:id/${verb}`,
      {
        ...common,
        schema: {
          ...schema,
          summary: active
            ? "Reactivate a member: its key works again"
            : "Deactivate a member: its key is refused from the next request on (a lost phone, a closed shop)",
          response: { 200: Member, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const member = await setActive(app.sql, memberOf(request), BigInt(request.params.id), active);
        // Other processes hear of it by NOTIFY; this one must not answer the caller's next request before it does.
        app.memberKeys.forgetAll();
        return presentMember(member);
      },
    );
  }

  app.get(
    "/members/:id",
    {
      ...common,
      schema: { ...schema, summary: "A member and its roles in programs", response: { 200: Me, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const member = await findMember(app.sql, BigInt(request.params.id));
      if (!member) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${request.params.id}`);
      const roles = await programRolesOf(app.sql, member.id);
      return { ...presentMember(member), programs: roles.map((r) => ({ programId: Number(r.programId), role: r.role })) };
    },
  );

  app.post(
    "/members/:id/rotate-key",
    {
      ...common,
      schema: {
        ...schema,
        summary: "Give a member a new API key, in this answer only; the old key is refused from the next request on",
        response: { 200: CreatedMember, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { member, apiKey } = await rotateKey(app.sql, memberOf(request), BigInt(request.params.id));
      app.memberKeys.forgetAll();
      return reply.header("cache-control", "no-store").send({ ...presentMember(member), apiKey });
    },
  );
};

export default memberAdminRoutes;
