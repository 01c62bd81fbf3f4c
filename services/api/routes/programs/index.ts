import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import { parseDecimal, parseTokenAmount } from "../../../core/amounts.js";
import type { LoyaltyRules, RecyclingRates } from "../../../core/earning.js";
import { badRequest, notFound } from "../../../core/errors.js";
import type { Caps } from "../../../core/fraud.js";
import { findMember } from "../../../db/members.js";
import { findProgram, grantProgramRole, insertProgram, listPrograms, type ProgramRole } from "../../../db/programs.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreateProgramBody, Grant, GrantBody, Program } from "../../schemas/programs.js";
import { presentProgram } from "./present.js";

type Body = Static<typeof CreateProgramBody>;

/** Checks the body against its kind and turns its amounts into base units. */
function programTerms(body: Body) {
  if (body.kind === "recycling") {
    if (body.rules) throw badRequest("RC_RULES_FOR_RECYCLING", "recycling programs earn by rates, not rules");
    if (!body.rates || Object.keys(body.rates).length === 0) {
      throw badRequest("RC_RATES_REQUIRED", "a recycling program needs a rate for at least one material");
    }
  } else {
    if (body.rates) throw badRequest("RC_RATES_FOR_LOYALTY", "loyalty programs earn by rules, not rates");
    // Only drop-offs go into lots, so a loyalty credit would have no lot to release its bonus.
    if (body.bonusShareBps) throw badRequest("RC_BONUS_FOR_LOYALTY", "only recycling programs hold a bonus");
    if (!body.rules) throw badRequest("RC_RULES_REQUIRED", "a loyalty program needs rules for its event types");
  }
  const rates: RecyclingRates = Object.fromEntries(
    Object.entries(body.rates ?? {}).map(([material, rate]) => [material, parseTokenAmount(rate as string, `rates.${material}`)]),
  );
  const rules: LoyaltyRules = { events: {}, campaigns: [] };
  for (const [type, rule] of Object.entries(body.rules?.events ?? {})) {
    if (rule.fixed === undefined && rule.perUnit === undefined) {
      throw badRequest("RC_RULE_EMPTY", `rules.events.${type} needs fixed or perUnit`);
    }
    rules.events[type] = {
      ...(rule.fixed !== undefined ? { fixed: parseTokenAmount(rule.fixed, `rules.events.${type}.fixed`) } : {}),
      ...(rule.perUnit !== undefined ? { perUnit: parseTokenAmount(rule.perUnit, `rules.events.${type}.perUnit`) } : {}),
    };
  }
  for (const campaign of body.rules?.campaigns ?? []) {
    const from = new Date(campaign.from);
    const to = new Date(campaign.to);
    if (!(from < to)) throw badRequest("RC_CAMPAIGN_WINDOW", `campaign "${campaign.name}" must end after it starts`);
    rules.campaigns!.push({ ...campaign, from, to });
  }
  const caps: Caps = Object.fromEntries(
    Object.entries(body.caps ?? {}).map(([name, value]) => [name, parseTokenAmount(value as string, `caps.${name}`)]),
  );
  return { rates, rules, caps };
}

const programRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const body = request.body;
      const terms = programTerms(body);
      const rate = body.redemptionRate ? parseDecimal(body.redemptionRate, app.stablecoinDecimals, "redemptionRate") : 0n;
      const { factory, writer } = app.chain;
      const request_ = await factory.createProgram.populateTransaction(body.name, body.symbol, body.closedLoop ?? false, rate);
      const receipt = await writer.sendAndWait(request_);
      const created = receipt.logs
        .map((log) => factory.interface.parseLog(log))
        .find((parsed) => parsed?.name === "ProgramCreated");
      if (!created) throw new Error(`createProgram ${receipt.hash} emitted no ProgramCreated`);
      const program = await insertProgram(app.sql, {
        chainProgramId: created.args.programId as bigint,
        token: created.args.token as string,
        name: body.name,
        symbol: body.symbol,
        kind: body.kind,
        closedLoop: body.closedLoop ?? false,
        redemptionRate: rate,
        ...terms,
        bonusShareBps: body.bonusShareBps ?? 0,
        createdTx: receipt.hash,
      });
      return reply.status(201).send(presentProgram(program, app.stablecoinDecimals));
    },
  );

  app.get(
    "/programs",
    {
      onRequest: app.requireMember("admin", "collection_point", "brand", "retailer", "sponsor", "processor"),
      schema: { summary: "Every program", tags: ["programs"], security: [{ apiKey: [] }], response: { 200: Type.Array(Program), ...errors(401, 403) } },
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
        summary: "Let a collection point or brand issue for the program, or a retailer accept its tokens",
        tags: ["programs"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: GrantBody,
        response: { 200: Grant, 201: Grant, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const program = await findProgram(app.sql, BigInt(request.params.id));
      if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${request.params.id}`);
      const member = await findMember(app.sql, BigInt(request.body.memberId));
      if (!member) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${request.body.memberId}`);
      const issuerKind = program.kind === "recycling" ? "collection_point" : "brand";
      let role: ProgramRole;
      if (member.kind === issuerKind) role = "issuer";
      else if (member.kind === "retailer") role = "acceptor";
      else throw badRequest("RC_MEMBER_KIND_NOT_GRANTABLE", `a ${member.kind} cannot join a ${program.kind} program`);

      let txHash: string | null = null;
      if (role === "acceptor") {
        const token = app.chain.token(program.token);
        const acceptorRole = await token.ACCEPTOR_ROLE();
        if (!(await token.hasRole(acceptorRole, member.address!))) {
          const receipt = await app.chain.writer.sendAndWait(
            await token.grantRole.populateTransaction(acceptorRole, member.address!),
          );
          txHash = receipt.hash;
        }
      }
      const created = await grantProgramRole(app.sql, { programId: program.id, memberId: member.id, role, txHash });
      return reply
        .status(created ? 201 : 200)
        .send({ programId: Number(program.id), memberId: Number(member.id), role, txHash });
    },
  );
};

export default programRoutes;
