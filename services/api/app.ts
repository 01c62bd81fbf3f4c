import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { createLogger, type Logger } from "../logger.js";
import type { Chain } from "../chain/network.js";
import acceptGroupsPlugin from "./plugins/accept-groups.js";
import authPlugin from "./plugins/auth.js";
import memberKeysPlugin from "./plugins/member-keys.js";
import chainPlugin from "./plugins/chain.js";
import errorsPlugin, { clientErrors, frameworkErrors } from "./plugins/errors.js";
import inputGuardPlugin, { DOCS_PREFIX, docsUiSecurity } from "./plugins/input-guard.js";
import metricsPlugin from "./plugins/metrics.js";
import lookupsPlugin from "./plugins/lookups.js";
import operatorPlugin from "./plugins/operator.js";
import phonesPlugin from "./plugins/phones.js";
import queuesPlugin from "./plugins/queues.js";
import rateLimitsPlugin from "./plugins/rate-limits.js";
import redisPlugin from "./plugins/redis.js";
import scrapeMetricsPlugin from "./plugins/scrape-metrics.js";
import sessionsPlugin from "./plugins/sessions.js";
import sqlPlugin from "./plugins/sql.js";
import systemFiguresPlugin from "./plugins/system-figures.js";
import webPlugin from "./plugins/web.js";
import { RequestLog } from "./request-log.js";
import queueBoard, { QUEUE_BOARD_PATH } from "./routes/admin/queues.js";
import systemRoutes from "./routes/admin/system.js";
import accountSignerRoutes from "./routes/account-signers/index.js";
import auditRoutes from "./routes/audit/index.js";
import paymentListRoutes from "./routes/payments/list.js";
import redemptionListRoutes from "./routes/redemptions/list.js";
import deliveryListRoutes from "./routes/webhooks/list.js";
import authRoutes from "./routes/auth/index.js";
import collectionRoutes from "./routes/collections/index.js";
import collectorRoutes from "./routes/collectors/index.js";
import depositRoutes from "./routes/deposits/index.js";
import eventReviewRoutes from "./routes/events/index.js";
import healthRoutes from "./routes/health/index.js";
import loyaltyRoutes from "./routes/loyalty-events/index.js";
import lotRoutes from "./routes/lots/index.js";
import memberRoutes from "./routes/members/index.js";
import networkRoutes from "./routes/network/index.js";
import paymentRoutes from "./routes/payments/index.js";
import programRoutes from "./routes/programs/index.js";
import retailerRoutes from "./routes/retailers/index.js";
import sponsorRoutes from "./routes/sponsors/index.js";
import redemptionRoutes from "./routes/redemptions/index.js";
import webhookRoutes from "./routes/webhooks/index.js";
import { SHARED_SCHEMAS, swaggerOptions } from "./openapi/document.js";
import { extendAjv } from "./validation.js";

export interface AppOptions {
  config: Config;
  /** An already connected chain (tests share one); otherwise the app opens its own from the config. */
  chain?: Chain;
  /**
   * Run the operator's sender inside this process (tests, single-process tools): `mint` false leaves pending
   * events alone. Absent, workers/operator.ts carries out what this API records.
   */
  inProcessOperator?: { mint: boolean };
  /** false: no logging (tests, the bench); otherwise the process's logger, or one named "api" from the config. */
  logger?: false | Logger;
}

/** The built API, as its holders outside this folder (tests, the bench) name it. */
export type Api = FastifyInstance;

/** Builds the API without listening: main.ts listens, tests use `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: (options.logger ?? createLogger(config, "api")) as FastifyBaseLogger }),
    logController: new RequestLog(),
    bodyLimit: 64 * 1024,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    ajv: {
      // Refuse what the schema does not describe instead of silently dropping or converting it. Every problem is
      // listed (allErrors); the body limit and the schemas' maxItems/maxLength bound how many there can be.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: true },
      onCreate: extendAjv,
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a text/plain body is refused with 415 rather than parsed and failed as a string.
  app.removeContentTypeParser("text/plain");
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(errorsPlugin);
  await app.register(inputGuardPlugin);
  await app.register(swagger, swaggerOptions(config));
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, ...docsUiSecurity });
  await app.register(metricsPlugin);
  await app.register(sqlPlugin, { config });
  await app.register(redisPlugin, { config });
  await app.register(rateLimitsPlugin, { config });
  await app.register(chainPlugin, { config, ...(options.chain ? { chain: options.chain } : {}) });
  await app.register(queuesPlugin, { config });
  await app.register(systemFiguresPlugin, { config });
  await app.register(scrapeMetricsPlugin);
  await app.register(memberKeysPlugin);
  await app.register(authPlugin);
  await app.register(lookupsPlugin);
  await app.register(acceptGroupsPlugin, { config });
  await app.register(sessionsPlugin, { config });
  await app.register(phonesPlugin, { config });
  await app.register(operatorPlugin, { config, ...(options.inProcessOperator ? { inProcessOperator: options.inProcessOperator } : {}) });

  await app.register(healthRoutes, { config });
  await app.register(memberRoutes, { prefix: "/v1" });
  await app.register(programRoutes, { prefix: "/v1" });
  await app.register(collectorRoutes, { prefix: "/v1" });
  await app.register(collectionRoutes, { prefix: "/v1" });
  await app.register(loyaltyRoutes, { prefix: "/v1" });
  await app.register(lotRoutes, { prefix: "/v1" });
  await app.register(eventReviewRoutes, { prefix: "/v1", config });
  await app.register(paymentRoutes, { prefix: "/v1" });
  await app.register(accountSignerRoutes, { prefix: "/v1" });
  await app.register(authRoutes, { prefix: "/v1" });
  await app.register(retailerRoutes, { prefix: "/v1" });
  await app.register(queueBoard, { prefix: QUEUE_BOARD_PATH });
  await app.register(redemptionRoutes, { prefix: "/v1" });
  await app.register(depositRoutes, { prefix: "/v1" });
  await app.register(sponsorRoutes, { prefix: "/v1" });
  await app.register(webhookRoutes, { prefix: "/v1", config });
  await app.register(networkRoutes, { prefix: "/v1", config });
  // The operator's console (issue 13): the audit log and the list routes of domains whose plugins are busy elsewhere.
  await app.register(auditRoutes, { prefix: "/v1" });
  await app.register(systemRoutes, { prefix: "/v1" });
  await app.register(paymentListRoutes, { prefix: "/v1" });
  await app.register(redemptionListRoutes, { prefix: "/v1" });
  await app.register(deliveryListRoutes, { prefix: "/v1" });
  await app.register(webPlugin, { config });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}
