import type { CreditFigures } from "./credit-rate.js";
import type { Scene } from "./fixtures.js";
import { ACCEPT_LOAD, type AcceptFigures } from "./http-accept.js";
import type { Bench } from "./setup.js";

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

const SET_ASIDE_NOTE = "bench: accept-rate phase, measured and not minted";

/**
 * After the HTTP phase (the API closed, so nothing is in flight): every 2xx recorded exactly one pending
 * event with its idempotency answer stored. Those events are then set aside (rejected with a note) so the
 * credit phase times exactly its own 5,000; they also serve as never-credited ids for the final check.
 */
export async function checkAndSetAsideAccepted(bench: Bench, accept: AcceptFigures): Promise<Check[]> {
  const { sql } = bench;
  const runs = [accept.apiWarmup, accept.api, ...accept.others.map((other) => other.figures)];
  const answered = runs.reduce((sum, run) => sum + run.ok, 0);
  // A request still in flight when autocannon stops is recorded but not counted: at most one per connection.
  const slack = 2 * ACCEPT_LOAD.connections + accept.others.reduce((sum, other) => sum + other.connections, 0);
  const [counts] = await sql<{ events: number; pending: number; keys: number }[]>`
    select (select count(*)::int from events) as events,
           (select count(*)::int from events where status = 'pending') as pending,
           (select count(*)::int from idempotency_keys where status_code = 202) as keys`;
  const { events, pending, keys } = counts!;
  const errors = runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0);
  await sql`update events set status = 'rejected', review_note = ${SET_ASIDE_NOTE}, updated_at = now() where status = 'pending'`;
  return [
    { check: "accept: every request answered 2xx", ok: errors === 0, detail: `${errors} non-2xx, errors or timeouts` },
    {
      check: "accept: one event per 2xx",
      ok: events >= answered && events <= answered + slack && keys === events,
      detail: `${answered} answered 2xx, ${events} events, ${keys} stored answers`,
    },
    { check: "accept: every event pending (none held)", ok: pending === events, detail: `${pending} of ${events} pending` },
  ];
}

function sample<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

/** The database and the chain agree: what is confirmed is credited, the rest is not, and supply adds up. */
export async function verifyFinal(bench: Bench, scene: Scene, credit: CreditFigures): Promise<Check[]> {
  const { sql, chain } = bench;
  const token = chain.token(scene.token);
  const checks: Check[] = [];

  const statuses = await sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from events group by status order by status`;
  const byStatus = Object.fromEntries(statuses.map((row) => [row.status, row.count]));
  // The bench runs the batcher alone, with no finality watcher: a minted credit stays `included`.
  const expectMinted = credit.events + credit.naive.events;
  const others = statuses.filter((row) => row.status !== "included" && row.status !== "confirmed" && row.status !== "rejected");
  checks.push({
    check: "every minted event included",
    ok: (byStatus.included ?? 0) + (byStatus.confirmed ?? 0) === expectMinted && others.length === 0,
    detail: JSON.stringify(byStatus),
  });

  const [batches] = await sql<{ unconfirmed: number; events: number }[]>`
    select count(*) filter (where status <> 'confirmed')::int as unconfirmed, coalesce(sum(event_count), 0)::int as events
    from mint_batches`;
  checks.push({
    check: "every mint batch confirmed",
    ok: batches!.unconfirmed === 0 && batches!.events === credit.events,
    detail: `${credit.batches} batches, ${batches!.events} events, ${batches!.unconfirmed} not confirmed`,
  });
  checks.push({ check: "batcher logged no error", ok: credit.batcherErrors.length === 0, detail: credit.batcherErrors.join("; ") || "none" });

  const confirmed = (await sql<{ id: bigint }[]>`select id from events where status in ('included', 'confirmed')`).map((r) => r.id);
  const setAside = (await sql<{ id: bigint }[]>`select id from events where status = 'rejected'`).map((r) => r.id);
  const credited = sample(confirmed, 50);
  const notCredited = sample(setAside, 20);
  const flags = await Promise.all([...credited, ...notCredited].map((id) => token.isCredited(id)));
  const wrong = flags.filter((flag, i) => flag !== i < credited.length).length;
  checks.push({
    check: "isCredited on chain matches (sample)",
    ok: wrong === 0 && credited.length > 0,
    detail: `${credited.length} confirmed credited, ${notCredited.length} set-aside not credited, ${wrong} wrong`,
  });

  const [sum] = await sql<{ total: string }[]>`
    select coalesce(sum(credit), 0)::text as total from events where status in ('included', 'confirmed')`;
  const supply = await token.totalSupply();
  checks.push({
    check: "totalSupply == sum of confirmed credits",
    ok: supply === BigInt(sum!.total),
    detail: `supply ${supply}, credits ${sum!.total}`,
  });

  const holders = await sql<{ beneficiary: string; total: string }[]>`
    select beneficiary, sum(credit)::text as total from events where status in ('included', 'confirmed')
    group by beneficiary order by random() limit 10`;
  const balances = await Promise.all(holders.map((h) => token.balanceOf(h.beneficiary)));
  const off = holders.filter((h, i) => balances[i] !== BigInt(h.total)).length;
  checks.push({ check: "balances == credits (10 holders)", ok: off === 0, detail: `${off} of ${holders.length} differ` });
  return checks;
}
