import { Wallet } from "ethers";
import { expect } from "vitest";
import { client, type Client } from "./client.js";
import type { Stack } from "./stack.js";
import { pollUntil } from "../../harness/lib/time.js";

let keys = 0;
/** A fresh Idempotency-Key. */
export const idempotencyKey = () => ({ "idempotency-key": `test-${process.pid}-${++keys}-${Date.now()}` });

/** Admits a member as the admin does and returns a client holding its key. */
export async function admit(stack: Stack, kind: string, name: string, address?: string) {
  const admin = client(stack.app, stack.adminKey);
  const reply = await admin.post("/v1/members", { kind, name, ...(address ? { address } : {}) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.id as number, key: reply.body.apiKey as string, api: client(stack.app, reply.body.apiKey) };
}

/** Makes a member one of a program's, as the admin does (a point may then issue for it, a shop take its tokens). */
export async function grant(stack: Stack, programId: number, memberId: number) {
  const admin = client(stack.app, stack.adminKey);
  const reply = await admin.post(`/v1/programs/${programId}/members`, { memberId });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/**
 * A program created by the admin from `body` (POST /v1/programs), and a collection point named `pointName`,
 * admitted and granted to it: where every drop-off story starts.
 */
export async function programWithPoint(stack: Stack, body: Record<string, unknown>, pointName: string) {
  const admin = client(stack.app, stack.adminKey);
  const created = await admin.post("/v1/programs", body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const point = await admit(stack, "collection_point", pointName);
  await grant(stack, created.body.id, point.id);
  return { admin, program: created.body, point };
}

/**
 * A recycling program (PET 2.5 and HDPE 2 tokens per kg, caps as given), a collection point that may issue
 * for it, and a registered collector wallet.
 */
export async function recyclingScene(stack: Stack, caps?: Record<string, string>) {
  const { admin, program, point } = await programWithPoint(
    stack,
    { name: "Ocean Plastic", symbol: "OCP", kind: "recycling", redemptionRate: "0.01", rates: { PET: "2.5", HDPE: "2" }, ...(caps ? { caps } : {}) },
    "Point Ketapang",
  );
  const collector = Wallet.createRandom();
  const registered = await point.api.post("/v1/collectors", { address: collector.address, displayName: "Sari" });
  expect(registered.status).toBe(201);
  return { admin, program, point, collector };
}

export type RecyclingScene = Awaited<ReturnType<typeof recyclingScene>>;

/** The scene's point records `grams` of PET for its collector: accepted (202), pending or, over a cap, held. */
export async function dropOff(scene: RecyclingScene, grams: number) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams },
    idempotencyKey(),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return reply.body as { id: number; tokens: string; status: string };
}

/** Polls until `check` passes or `timeoutMs` elapses (minting is asynchronous by design). */
export function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return pollUntil(probe, check, { timeoutMs, message: (last) => `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}` });
}

export type { Client };
