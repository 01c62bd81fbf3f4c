import { signal } from "@preact/signals";

export type MemberRole = "point" | "retailer" | "sponsor" | "operator" | "processor";

/**
 * A member's API key, kept in this browser's localStorage under its role: the phone at a counter is the
 * member's own device. Signing out forgets it.
 */
const storageKey = (role: MemberRole) => `recircle.memberKey.${role}`;

export const memberKeys = signal<Partial<Record<MemberRole, string>>>(
  Object.fromEntries(
    (["point", "retailer", "sponsor", "operator", "processor"] as const).flatMap((role) => {
      const key = localStorage.getItem(storageKey(role));
      return key ? [[role, key]] : [];
    }),
  ),
);

export function setMemberKey(role: MemberRole, key: string | undefined) {
  if (key) localStorage.setItem(storageKey(role), key);
  else localStorage.removeItem(storageKey(role));
  const next = { ...memberKeys.value };
  if (key) next[role] = key;
  else delete next[role];
  memberKeys.value = next;
}
