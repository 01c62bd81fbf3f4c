import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { notFound } from "../../../core/errors.js";
import { findProgram, listPrograms } from "../../../db/programs.js";
import { createProgram } from "../../../flows/create-program.js";
import { grantProgramRoleFlow } from "../../../flows/grant-program-role.js";
import { revokeProgramRoleFlow } from "../../../flows/revoke-program-role.js";
import { memberOf } from "../../plugins/auth.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreateProgramBody, Grant, GrantBody, Program, Revocation, RoleParams } from "../../schemas/programs.js";
import programAdminRoutes from "./admin.js";
import { presentProgram } from "./present.js";
import { program } from "../../schemas/examples.js";

const programRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(programAdminRoutes);
  app.post(
    "/programs",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Create a program: its token is cloned on chain with the network's roles",
        tags: ["programs"],
        security: [{ apiKey: [] }],
        body: CreateProgramBody,
        response: { 201: Program, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const program = await createProgram(operatorWriteDeps(app), memberOf(request), request.body);
      return reply.status(201).send(presentProgram(program, app.stablecoinDecimals));
    },
  );

  app.get(
    "/programs",
    {
      onRequest: app.requireMember("admin", "collection_point", "brand", "retailer", "sponsor", "processor"),
      schema: { summary: "Every program", tags: ["programs"], security: [{ apiKey: [] }], response: { 200: Type.Array(Program, { examples: [[program]] }), ...errors(401, 403) } },
    },
    async () => (await listPrograms(app.sql)).map((p) => presentProgram(p, app.stablecoinDecimals)),
  );

  app.get(
    "/programs/:id",
    {
      onRequest: app.requireMember("admin", "collection_point", "brand", "retailer", "sponsor", "processor"),
      schema: { summary: "One program", tags: ["programs"], security: [{ apiKey: [] }], params: IdParams, response: { 200: Program, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const program = await findProgram(app.sql, BigInt(request.params.id));
      if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${request.params.id}`);
      return presentProgram(program, app.stablecoinDecimals);
    },
  );

  app.post(
    "/programs/:id/members",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Let a collection point or brand issue for the program, a processor form its lots, or a retailer accept its tokens",
        tags: ["programs"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: GrantBody,
        response: { 200: Grant, 201: Grant, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const grant = await grantProgramRoleFlow(operatorWriteDeps(app), memberOf(request), BigInt(request.params.id), BigInt(request.body.memberId));
      return reply
        .status(grant.created ? 201 : 200)
        .send({ programId: Number(grant.programId), memberId: Number(grant.memberId), role: grant.role, txHash: grant.txHash });
    },
  );

  app.delete(
    "/programs/:id/members/:memberId",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Take a member's role in the program away: at once in the API, and a retailer's ACCEPTOR_ROLE on chain",
        tags: ["programs"],
        security: [{ apiKey: [] }],
        params: RoleParams,
        response: { 200: Revocation, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const deps = { ...operatorWriteDeps(app), lookups: app.lookups };
      const revoked = await revokeProgramRoleFlow(deps, memberOf(request), BigInt(request.params.id), BigInt(request.params.memberId));
      return { programId: Number(revoked.programId), memberId: Number(revoked.memberId), role: revoked.role, txHash: revoked.txHash };
    },
  );
};

export default programRoutes;
