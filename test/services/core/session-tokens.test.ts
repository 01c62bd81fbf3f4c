import { createHmac } from "node:crypto";
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import {
  issueSessionToken,
  SESSION_TTL_S,
  signSessionToken,
  verifySessionToken,
} from "../../../services/core/session-tokens.js";

const SECRET = "a-test-secret-of-at-least-32-characters";
const OTHER_SECRET = "another-secret-of-at-least-32-characters";
const SUB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const NOW = 1_750_000_000;

/** Replaces one character of `text` at `index` by another base64url character. */
const alter = (text: string, index: number) => {
  const position = index < 0 ? text.length + index : index;
  const replacement = text[position] === "A" ? "B" : "A";
  return `${text.slice(0, position)}${replacement}${text.slice(position + 1)}`;
};

describe("session tokens", () => {
  it("accepts a token it signed until its expiry, with its claims", () => {
    const { token, exp } = issueSessionToken(SUB, SECRET, NOW);
    expect(exp).toBe(NOW + SESSION_TTL_S);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifySessionToken(token, SECRET, NOW)).toEqual({ ok: true, claims: { sub: SUB, exp } });
    expect(verifySessionToken(token, SECRET, exp - 1).ok).toBe(true);
  });

  it("refuses an expired token", () => {
    const { token, exp } = issueSessionToken(SUB, SECRET, NOW);
    expect(verifySessionToken(token, SECRET, exp)).toEqual({ ok: false, reason: "expired" });
    expect(verifySessionToken(token, SECRET, exp + 3600)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a tampered payload, even one re-encoded to claim another wallet or a later expiry", () => {
    const { token } = issueSessionToken(SUB, SECRET, NOW);
    const [payload, mac] = token.split(".") as [string, string];
    expect(verifySessionToken(`${alter(payload, 3)}.${mac}`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    for (const claims of [{ sub: Wallet.createRandom().address, exp: NOW + 60 }, { sub: SUB, exp: NOW + 86_400 }]) {
      const forged = Buffer.from(JSON.stringify(claims)).toString("base64url");
      expect(verifySessionToken(`${forged}.${mac}`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    }
  });

  it("refuses a tampered MAC, including in the spare bits of its last character", () => {
    const { token } = issueSessionToken(SUB, SECRET, NOW);
    const [payload, mac] = token.split(".") as [string, string];
    for (const index of [0, 20, -1]) {
      expect(verifySessionToken(`${payload}.${alter(mac, index)}`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    }
    expect(verifySessionToken(`${payload}.${mac}A`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a token signed with another secret", () => {
    const { token } = issueSessionToken(SUB, OTHER_SECRET, NOW);
    expect(verifySessionToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("calls garbage malformed, and a signed payload without the claims malformed too", () => {
    for (const garbage of ["", "abc", "a.b.c", "a.b=", "rck_abc", "ü.ü"]) {
      expect(verifySessionToken(garbage, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
    // Correctly signed with the secret, but not claims this module writes.
    for (const claims of [{ sub: SUB }, { sub: 1, exp: NOW + 60 }, { sub: SUB, exp: "later" }, null]) {
      const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
      const token = `${payload}.${createHmac("sha256", SECRET).update(payload).digest("base64url")}`;
      expect(verifySessionToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
    expect(verifySessionToken(signSessionToken({ sub: SUB, exp: NOW + 1 }, SECRET), SECRET, NOW).ok).toBe(true);
  });

  it("refuses to sign or verify with a secret shorter than 32 characters", () => {
    expect(() => issueSessionToken(SUB, "short", NOW)).toThrow(/32/);
  });
});
