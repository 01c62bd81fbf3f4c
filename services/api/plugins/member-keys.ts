import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { findMemberByKeyHash, type Member } from "../../db/members.js";

/** Channel of migration 022's trigger: a member changed, at commit. */
export const MEMBER_KEYS_CHANNEL = "member_keys";
/** A bound on staleness should a notification be lost (the listening connection dropped between two changes). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

declare module "fastify" {
  interface FastifyInstance {
    /** The member a key hash belongs to, from memory when this process saw it before. */
    memberKeys: MemberKeys;
  }
}

/**
 * The members this process has authenticated, by key hash: the lookup every authenticated request made in
 * PostgreSQL. A change to any member empties it in every API process (migration 022's NOTIFY); changes are
 * rare (a rotation, a deactivation), so forgetting everyone costs a few lookups, and no reverse index is kept.
 */
export class MemberKeys {
  private readonly entries = new Map<string, { member: Member; at: number }>();

  constructor(private readonly load: (hash: Buffer) => Promise<Member | undefined>) {}

  async find(hash: Buffer, now = Date.now()): Promise<Member | undefined> {
    const key = hash.toString("hex");
    const hit = this.entries.get(key);
    if (hit && now - hit.at < MAX_AGE_MS) return hit.member;
    const member = await this.load(hash);
    if (!member) return undefined;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { member, at: now });
    return member;
  }

  forgetAll(): void {
    this.entries.clear();
  }
}

export default fp(
  async (app: FastifyInstance) => {
    const keys = new MemberKeys((hash) => findMemberByKeyHash(app.sql, hash));
    app.decorate("memberKeys", keys);
    // The third argument runs on every (re)connection of the listening connection: what changed while it was
    // down was never told, so everything is forgotten then too.
    const listening = await app.sql.listen(MEMBER_KEYS_CHANNEL, () => keys.forgetAll(), () => keys.forgetAll());
    app.addHook("onClose", async () => {
      await listening.unlisten();
    });
  },
  { name: "member-keys", dependencies: ["sql"] },
);
