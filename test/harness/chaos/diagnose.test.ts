import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDiagnosis } from "../../../harness/chaos/diagnose.js";
import { idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let folder: string;
beforeAll(async () => {
  // Nothing mints: the drop-off stays open, as after a drain that did not finish.
  stack = await startStack({ runBatcher: false });
  folder = await mkdtemp(join(tmpdir(), "recircle-diagnose-"));
});
afterAll(async () => {
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

describe("the chaos diagnosis", () => {
  it("writes the rows still open, whose ids are bigints, as JSON", async () => {
    const scene = await recyclingScene(stack);
    const body = { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 };
    const accepted = await scene.point.api.post("/v1/collections", body, idempotencyKey());
    expect(accepted.status).toBe(202);

    const path = await writeDiagnosis(stack.sql, stack.config.redisUrl, stack.config.redisPrefix, folder);
    const written = JSON.parse(await readFile(path, "utf8"));
    expect(written.events).toEqual([expect.objectContaining({ id: String(accepted.body.id), status: "pending" })]);
    expect(written.payments).toEqual([]);
  });
});
