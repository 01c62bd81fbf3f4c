import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { createSql, type Sql } from "../../db/sql.js";

declare module "fastify" {
  interface FastifyInstance {
    sql: Sql;
  }
}

export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const sql = createSql(config.databaseUrl, { max: config.databasePoolSize });
    app.decorate("sql", sql);
    app.addHook("onClose", () => sql.end({ timeout: 5 }));
  },
  { name: "sql" },
);
