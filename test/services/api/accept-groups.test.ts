/**
 * Group commit on the accept path: drop-offs and loyalty events that arrive while others are being written
 * share one transaction, and each is answered exactly as if it had come alone. The same requests go one by
 * one to a second, fresh stack (ACCEPT_GROUP_MAX=1: every event in its own transaction) to say what "alone" is.
 */
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../services/api/app.js";
import type { EventToRecord } from "../../../services/flows/record-events.js";
import { client, type Reply } from "../../support/client.js";
import { admit, idempotencyKey } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { pollUntil } from "../../../harness/lib/time.js";

const PHONE_SALT = randomBytes(32).toString("base64url");
const PHONE = "+6281234500001";
const CUSTOMER = "0x00000000000000000000000000000000000c0ffe";
const TICKET = `0x${"7e".repeat(32)}`;
const wallets = Object.fromEntries(["a", "b", "c", "d", "e", "f", "blocker1", "blocker2"].map((name) => [name, Wallet.createRandom().address]));

let grouped: Stack;
let alone: Stack;
let together: Scene;
beforeAll(async () => {
  grouped = await startStack({ runBatcher: false, env: { PHONE_SALT } });
  alone = await startStack({ runBatcher: false, env: { PHONE_SALT, ACCEPT_GROUP_MAX: "1" } });
  together = await scene(grouped);
});
afterAll(async () => {
  await grouped?.close();
  await alone?.close();
});

/**
 * The same scene on either stack: a recycling program holding 30% back as bonus, with caps of 5 tokens an
 * event and 8 a collector a day (1 kg of PET credits 1.75 at once), its point and collectors (one by phone);
 * a loyalty program and its brand.
 */
async function scene(stack: Stack) {
  const admin = client(stack.app, stack.adminKey);
  const program = await admin.post("/v1/programs", {
    name: "Grouped Plastic", symbol: "GRP", kind: "recycling", rates: { PET: "2.5", HDPE: "2" }, bonusShareBps: 3000,
    caps: { perEvent: "5", perBeneficiaryDaily: "8", perIssuerDaily: "1000" },
  });
  expect(program.status, JSON.stringify(program.body)).toBe(201);
  const point = await admit(stack, "collection_point", "Point Tanjung");
  expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: point.id })).status).toBe(201);
  for (const address of Object.values(wallets)) expect((await point.api.post("/v1/collectors", { address })).status).toBe(201);
  expect((await point.api.post("/v1/collectors", { phone: PHONE })).status).toBe(201);
  const loyalty = await admin.post("/v1/programs", { name: "Refill", symbol: "RFL", kind: "loyalty", rules: { events: { purchase: { fixed: "1" } } } });
  expect(loyalty.status, JSON.stringify(loyalty.body)).toBe(201);
  const brand = await admit(stack, "brand", "Refill Co");
  expect((await admin.post(`/v1/programs/${loyalty.body.id}/members`, { memberId: brand.id })).status).toBe(201);
  return { programId: program.body.id as number, loyaltyId: loyalty.body.id as number, point: point.api, pointKey: point.key, brand: brand.api };
}

type Scene = Awaited<ReturnType<typeof scene>>;
interface Request {
  name: string;
  key: string;
  send(scene: Scene, key: string): Promise<Reply>;
}

const send = (request: Request, s: Scene) => request.send(s, request.key);

const drop = (name: string, key: string, collector: string | undefined, grams: number, extra: Record<string, unknown> = {}): Request => ({
  name,
  key,
  send: ({ point, programId }, key) =>
    point.post("/v1/collections", { programId, ...(collector ? { collector } : { phone: PHONE }), material: "PET", grams, ...extra }, { "idempotency-key": key }),
});
const newKey = () => idempotencyKey()["idempotency-key"];

/** Committed before the group: the key the group replays, and the key it reuses with another body. */
const firstKey = newKey();
const reusedKey = newKey();
const before = [drop("first", firstKey, wallets.a, 1_000), drop("reused", reusedKey, wallets.b, 500)];
const group: Request[] = [
  drop("replay", firstKey, wallets.a, 1_000),
  drop("reuse", reusedKey, wallets.b, 600),
  drop("a-2kg", newKey(), wallets.a, 2_000),
  drop("a-2kg-again", newKey(), wallets.a, 2_000),
  drop("over-event-max", newKey(), wallets.f, 4_000),
  drop("ticket", newKey(), wallets.c, 1_000, { evidenceHash: TICKET }),
  drop("ticket-again", newKey(), wallets.d, 1_000, { evidenceHash: TICKET }),
  drop("phone", newKey(), undefined, 1_000),
  drop("hdpe", newKey(), wallets.e, 1_500, { material: "HDPE" }),
  {
    name: "loyalty",
    key: newKey(),
    send: ({ brand, loyaltyId }, key) => brand.post("/v1/loyalty-events", { programId: loyaltyId, customer: CUSTOMER, type: "purchase" }, { "idempotency-key": key }),
  },
];

/** What may differ between two stacks for one answer: the row's id and its time. */
const comparable = (reply: Reply) => ({ status: reply.status, body: { ...reply.body, id: undefined, createdAt: undefined } });

const waitingLocks = async (stack: Stack) =>
  (await stack.sql<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`)[0]!.n;

/**
 * Sends `requests` so that they reach the recorder while both its group slots are busy, each with a blocker
 * drop-off waiting on a lock the test holds (the blockers' wallets are only ever theirs); then lets them go. Returns the replies, and the requests
 * in the order they reached the recorder (the order the group took them in).
 */
async function sendBehindBlockers(stack: Stack, s: Scene, requests: Request[]) {
  const arrived: string[] = [];
  const recorder = stack.app.eventRecorder;
  const record = recorder.record;
  recorder.record = (request: EventToRecord) => {
    arrived.push(request.key);
    return record(request);
  };
  const blockers = [drop("blocker1", newKey(), wallets.blocker1, 100), drop("blocker2", newKey(), wallets.blocker2, 100)];
  const locker = await stack.sql.reserve();
  try {
    await locker`begin`;
    for (const wallet of [wallets.blocker1, wallets.blocker2]) {
      await locker`select pg_advisory_xact_lock(hashtextextended(${`${s.programId}:${wallet}`}, 0))`;
    }
    const blocked: Promise<Reply>[] = [];
    for (const blocker of blockers) {
      blocked.push(send(blocker, s));
      await pollUntil(() => waitingLocks(stack), (n) => n === blocked.length, { timeoutMs: 10_000, message: (n) => `${n} requests wait on the locks` });
    }
    const replies = Promise.all(requests.map((request) => send(request, s)));
    const all = blockers.length + requests.length;
    await pollUntil(async () => arrived.length, (n) => n === all, { timeoutMs: 10_000, message: (n) => `${n} of ${all} reached the recorder` });
    await locker`commit`;
    for (const reply of await Promise.all(blocked)) expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const order = arrived.slice(blockers.length).map((key) => requests.find((request) => request.key === key)!);
    return { replies: await replies, order };
  } finally {
    locker.release();
    recorder.record = record;
  }
}

async function sequentially(s: Scene, requests: Request[]) {
  const replies: Reply[] = [];
  for (const request of requests) replies.push(await send(request, s));
  return replies;
}

/** The events of a stack as the database holds them, in id order, without what differs between two stacks (and the blockers'). */
const eventRows = (stack: Stack) => stack.sql`
  select kind, program_id, issuer_id, beneficiary, collector_id, material, grams, loyalty_type, campaign, evidence_hash,
         credit::text, bonus::text, status, reasons
  from events where beneficiary <> all(${[wallets.blocker1!, wallets.blocker2!]}) order by id`;

/** How many transactions wrote these events: rows inserted by one share its id (xmin). */
const writers = async (stack: Stack, ids: number[]) =>
  (await stack.sql<{ n: number }[]>`select count(distinct xmin::text)::int as n from events where id = any(${ids})`)[0]!.n;

describe("group commit of accepted events", () => {
  it("answers a group holding a replay, a reused key, events over caps and fine ones as if each had come alone", async () => {
    const [first] = await sequentially(together, before);
    const { replies, order } = await sendBehindBlockers(grouped, together, group);

    const oneByOne = await scene(alone);
    await sequentially(oneByOne, before);
    const aloneReplies = await sequentially(oneByOne, order);
    const byName = (names: Request[], answers: Reply[]) => new Map(names.map((request, i) => [request.name, answers[i]!]));
    const groupedBy = byName(group, replies);
    const aloneBy = byName(order, aloneReplies);
    for (const request of group) {
      expect(comparable(groupedBy.get(request.name)!), request.name).toEqual(comparable(aloneBy.get(request.name)!));
    }
    expect(await eventRows(grouped)).toEqual(await eventRows(alone));

    // What each answer says, so that "the same as alone" is not the same mistake twice.
    expect(groupedBy.get("replay")!.body).toEqual(first!.body);
    expect(groupedBy.get("reuse")!.body.error.code).toBe("RC_IDEMPOTENCY_KEY_REUSED");
    const answer = (name: string) => groupedBy.get(name)!.body;
    const inOrder = (...names: string[]) => order.filter((request) => names.includes(request.name)).map((request) => request.name);
    const [aFirst, aSecond] = inOrder("a-2kg", "a-2kg-again");
    const [ticketFirst, ticketSecond] = inOrder("ticket", "ticket-again");
    expect(answer(aSecond!)).toMatchObject({ status: "held", reasons: ["RC_OVER_BENEFICIARY_DAILY_CAP"] });
    expect(answer(ticketSecond!)).toMatchObject({ status: "held", reasons: ["RC_EVIDENCE_REUSED"] });
    expect(answer("over-event-max")).toMatchObject({ status: "held", reasons: ["RC_OVER_EVENT_MAX"] });
    expect(answer("phone")).toMatchObject({ status: "escrowed", reasons: [] });
    for (const name of [aFirst!, ticketFirst!, "hdpe", "loyalty"]) expect(answer(name), name).toMatchObject({ status: "pending", reasons: [] });

    // The eight new events: one transaction wrote them all here, in the order the requests arrived; eight there.
    const fresh = order.filter((request) => request.name !== "replay" && request.name !== "reuse");
    const ids = fresh.map((request) => groupedBy.get(request.name)!.body.id as number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(await writers(grouped, ids)).toBe(1);
    expect(await writers(alone, fresh.map((request) => aloneBy.get(request.name)!.body.id as number))).toBe(fresh.length);
  });

  it("writes a group one by one when a row of it fails, so the failure stays that request's own", async () => {
    const poisoned = Wallet.createRandom().address;
    expect((await together.point.post("/v1/collectors", { address: poisoned })).status).toBe(201);
    // A fault of the database's for this one beneficiary: any row of it fails, in a group or alone.
    await grouped.sql.unsafe(`
      create function refuse_poisoned() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$;
      create trigger refuse_poisoned before insert on events for each row when (new.beneficiary = '${poisoned}') execute function refuse_poisoned()`);
    const failedBefore = (await grouped.app.metrics.acceptGroupsFailed.get()).values[0]?.value ?? 0;
    const requests = [
      drop("fine-1", newKey(), wallets.e, 1_000),
      drop("poisoned", newKey(), poisoned, 1_000),
      drop("replay", firstKey, wallets.a, 1_000),
      drop("fine-2", newKey(), wallets.d, 500),
    ];
    try {
      const { replies } = await sendBehindBlockers(grouped, together, requests);
      const [fine1, poison, replay, fine2] = replies;
      expect(poison!.status).toBe(500);
      expect(poison!.body.error.code).toBe("RC_INTERNAL");
      for (const reply of [fine1!, replay!, fine2!]) expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      expect(replay!.body.id).toBe(Number((await grouped.sql`select id from events where beneficiary = ${wallets.a!} order by id limit 1`)[0]!.id));
      expect([fine1!.body.status, fine2!.body.status]).toEqual(["pending", "pending"]);
      expect((await grouped.app.metrics.acceptGroupsFailed.get()).values[0]!.value).toBe(failedBefore + 1);
      // Each written in a transaction of its own, after the group's rolled back.
      expect(await writers(grouped, [fine1!.body.id, fine2!.body.id])).toBe(2);
    } finally {
      await grouped.sql.unsafe("drop trigger refuse_poisoned on events; drop function refuse_poisoned()");
    }
    // The failed request's key stayed free: sent again, it is recorded.
    const again = await send(requests[1]!, together);
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toMatchObject({ beneficiary: poisoned, status: "pending" });
  });

  it("keeps a collector's daily cap when two API processes group drop-offs for them at once", async () => {
    const second = await buildApp({ config: grouped.config, chain: grouped.chain, logger: false });
    await second.ready();
    try {
      const collector = Wallet.createRandom().address;
      expect((await together.point.post("/v1/collectors", { address: collector })).status).toBe(201);
      const apps = [grouped.app, second];
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          apps[i % 2]!.inject({
            method: "POST",
            url: "/v1/collections",
            headers: { authorization: `Bearer ${together.pointKey}`, "idempotency-key": newKey() },
            payload: { programId: together.programId, collector, material: "PET", grams: 1_000 },
          }),
        ),
      );
      expect(replies.map((reply) => reply.statusCode)).toEqual(Array(40).fill(202));
      const statuses = replies.map((reply) => reply.json().status as string);
      // 8 tokens a day, 1.75 a drop-off: the first four fit, every other is held, whichever process took it.
      expect(statuses.filter((status) => status === "pending")).toHaveLength(4);
      expect(statuses.filter((status) => status === "held")).toHaveLength(36);
      const ids = replies.map((reply) => reply.json().id as number);
      expect(await writers(grouped, ids)).toBeLessThan(ids.length);
    } finally {
      await second.close();
    }
  });
});
