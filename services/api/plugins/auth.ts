import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import fp from "fastify-plugin";
import { hashApiKey } from "../../core/api-keys.js";
import { forbidden, unauthorized } from "../../core/errors.js";
import type { Member, MemberKind } from "../../db/members.js";

declare module "fastify" {
  interface FastifyInstance {
    /**
     * An onRequest hook admitting only active members of these kinds, with `Authorization: Bearer <api key>`.
     * It runs before the body is read, so a caller without a key learns that first and costs no parsing.
     */
    requireMember(...kinds: MemberKind[]): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    member: Member | undefined;
  }
}

/** The authenticated member of a request that passed `requireMember`. */
export function memberOf(request: FastifyRequest): Member {
  if (!request.member) throw unauthorized("authentication required");
  return request.member;
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorateRequest("member", undefined);
    app.decorate("requireMember", (...kinds: MemberKind[]): onRequestAsyncHookHandler => {
      return async (request) => {
        const header = request.headers.authorization;
        const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
        if (!match) throw unauthorized("send the API key as 'Authorization: Bearer <key>'");
        const member = await app.memberKeys.find(hashApiKey(match[1]!));
        if (!member) throw unauthorized("unknown API key");
        if (!member.active) throw forbidden("RC_MEMBER_INACTIVE", "this member is inactive");
        if (!kinds.includes(member.kind)) {
          throw forbidden("RC_WRONG_ROLE", `this needs a ${kinds.join(" or ")} key, not a ${member.kind} key`);
        }
        request.member = member;
      };
    });
  },
  { name: "auth", dependencies: ["sql", "member-keys"] },
);
