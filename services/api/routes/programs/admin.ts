import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { notFound } from "../../../core/errors.js";
import type { TermsChange } from "../../../db/program-terms-history.js";
import { findProgram } from "../../../db/programs.js";
import { listTermsChanges } from "../../../db/program-terms-history.js";
import { changeProgramTerms } from "../../../flows/change-program-terms.js";
import { setTokenPaused } from "../../../flows/pause-token.js";
import { memberOf } from "../../plugins/auth.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { errors, IdParams } from "../../schemas/common.js";
import { PauseState, Program, TermsChangeBody, TermsHistoryPage, TermsHistoryQuery } from "../../schemas/programs.js";
import { presentProgram } from "./present.js";

const presentChange = (change: TermsChange) => ({
  id: Number(change.id),
  programId: Number(change.programId),
  actorId: Number(change.actorId),
  before: change.before,
  after: change.after,
  at: change.at.toISOString(),
});

/** The admin's hold on a program: its terms (each change kept in a history) and its token's pause; each audited. */
const programAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { onRequest: app.requireMember("admin") };
  const schema = { tags: ["programs"], security: [{ apiKey: [] }], params: IdParams };

  app.patch(
    "/programs/:id/terms",
    {
      ...common,
      schema: {
        ...schema,
        summary: "Change a program's rates, rules and campaigns, caps or bonus share: for events accepted from now on",
        body: TermsChangeBody,
        response: { 200: Program, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const changed = await changeProgramTerms({ sql: app.sql, lookups: app.lookups }, memberOf(request), BigInt(request.params.id), request.body);
      return presentProgram(changed.program, app.stablecoinDecimals);
    },
  );

  app.get(
    "/programs/:id/terms/history",
    {
      ...common,
      schema: {
        ...schema,
        summary: "Every change of a program's terms: who, before, after, when; newest first",
        querystring: TermsHistoryQuery,
        response: { 200: TermsHistoryPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const programId = BigInt(request.params.id);
      if (!(await findProgram(app.sql, programId))) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
      const size = Number(request.query.limit ?? 50);
      const rows = await listTermsChanges(app.sql, programId, { below: cursorBound(request.query.cursor), limit: size + 1 });
      const found = pageOf(rows, size);
      return { items: found.items.map(presentChange), next: found.next };
    },
  );

  for (const [verb, paused] of [["pause", true], ["unpause", false]] as const) {
    app.post(
      `/programs/:id/${verb}`,
      {
        ...common,
        schema: {
          ...schema,
          summary: paused
            ? "Pause the program's token on chain: no mint, payment or redemption of it until unpaused"
            : "Unpause the program's token on chain: its waiting mints, payments and redemptions go on",
          response: { 200: PauseState, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const outcome = await setTokenPaused(operatorWriteDeps(app), memberOf(request), BigInt(request.params.id), paused);
        return { programId: Number(outcome.programId), paused: outcome.paused, txHash: outcome.txHash };
      },
    );
  }
};

export default programAdminRoutes;
