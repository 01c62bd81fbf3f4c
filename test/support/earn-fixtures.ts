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

/**
 * A recycling program (PET 2.5 and HDPE 2 tokens per kg, caps as given), a collection point that may issue
 * for it, and a registered collector wallet.
 */
export async function recyclingScene(stack: Stack, caps?: Record<string, string>) {
  const admin = client(stack.app, stack.adminKey);
  const program = await admin.post("/v1/programs", {
    name: "Ocean Plastic",
    symbol: "OCP",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5", HDPE: "2" },
    ...(caps ? { caps } : {}),
  });
  expect(program.status, JSON.stringify(program.body)).toBe(201);
  const point = await admit(stack, "collection_point", "Point Ketapang");
  const grant = await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: point.id });
  expect(grant.status).toBe(201);
  const collector = Wallet.createRandom();
  const registered = await point.api.post("/v1/collectors", { address: collector.address, displayName: "Sari" });
  expect(registered.status).toBe(201);
  return { admin, program: program.body, point, collector };
}

/** Polls until `check` passes or `timeoutMs` elapses (minting is asynchronous by design). */
export function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return pollUntil(probe, check, { timeoutMs, message: (last) => `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}` });
}

export type { Client };
