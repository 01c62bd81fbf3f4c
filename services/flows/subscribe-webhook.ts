/**
 * A member subscribes a URL to webhook events: the URL must be https to a public address (a name is resolved
 * and every address it has is checked), and a member holds at most `maxPerMember` active subscriptions.
 * The worker checks the address again when it delivers (services/queue/webhook-delivery.ts): DNS can change.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { badRequest, conflict } from "../core/errors.js";
import { addressAllowed, blockedAddress, classifyAddress, parseWebhookUrl, type WebhookPolicy } from "../core/webhook-address.js";
import { generateWebhookSecret } from "../core/webhooks.js";
import type { Sql } from "../db/sql.js";
import { countActiveSubscriptions, insertSubscription, type WebhookSubscription } from "../db/webhooks.js";

/** Every address `name` resolves to (the system resolver, as a delivery will use). */
export type ResolveHost = (name: string) => Promise<string[]>;

export const resolveHost: ResolveHost = async (name) => (await dnsLookup(name, { all: true, verbatim: true })).map((a) => a.address);

const RESOLVE_TIMEOUT_MS = 3_000;

export interface SubscribeDeps {
  sql: Sql;
  policy: WebhookPolicy;
  maxPerMember: number;
  resolve?: ResolveHost;
}

/** Refuses (400) a name that resolves to nothing or to any address deliveries may not go to. */
export async function checkWebhookHost(name: string, policy: WebhookPolicy, resolve: ResolveHost = resolveHost): Promise<void> {
  let addresses: string[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      resolve(name),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), RESOLVE_TIMEOUT_MS))),
    ]);
  } catch {
    throw badRequest("RC_WEBHOOK_URL_UNRESOLVED", `the host ${name} does not resolve`);
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw badRequest("RC_WEBHOOK_URL_UNRESOLVED", `the host ${name} does not resolve`);
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (!addressAllowed(kind, policy)) throw blockedAddress(kind);
  }
}

export async function subscribeWebhook(
  deps: SubscribeDeps,
  request: { memberId: bigint; url: string; events: string[] },
): Promise<WebhookSubscription & { secret: string }> {
  const target = parseWebhookUrl(request.url, deps.policy);
  if (target.name !== undefined) await checkWebhookHost(target.name, deps.policy, deps.resolve);
  const secret = generateWebhookSecret();
  const subscription = await deps.sql.begin(async (tx) => {
    // One subscription at a time per member, so two at once cannot both pass the cap.
    await tx`select pg_advisory_xact_lock(hashtext('webhook-subscriptions'), ${Number(request.memberId % 2_147_483_647n)}::int)`;
    const active = await countActiveSubscriptions(tx, request.memberId);
    if (active >= deps.maxPerMember) {
      throw conflict("RC_WEBHOOK_LIMIT", `a member holds at most ${deps.maxPerMember} webhook subscriptions: delete one first`);
    }
    return insertSubscription(tx, { memberId: request.memberId, url: target.url, events: request.events, secret });
  });
  return { ...(subscription as WebhookSubscription), secret };
}
