import { describe, expect, it } from "vitest";
import { signatureHeader, signWebhook, verifyWebhookSignature } from "../../../services/core/webhook-signature.js";

const secret = "whsec_test";
const body = JSON.stringify({ type: "credit.confirmed", data: { eventId: 1 } });
const t = 1_760_000_000;

describe("webhook signatures", () => {
  it("signs HMAC-SHA256 of '<t>.<body>' as lowercase hex", () => {
    // Independent vector: echo -n '1760000000.{}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook(secret, t, "{}")).toBe("36bd79465b49ac7ce6ef02dc49dc372557425a18a75801997a2c67271410b927");
    expect(signWebhook(secret, t, body)).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${signWebhook(secret, t, body)}`);
  });

  it("verifies a header it made, within the tolerance either way", () => {
    const header = signatureHeader(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body, t)).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature(secret, header, body, t + 300, 300).ok).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, t - 300, 300).ok).toBe(true);
  });

  it("rejects a tampered body, another secret, or a changed timestamp", () => {
    const header = signatureHeader(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body.replace("1", "2"), t)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature("other", header, body, t)).toEqual({ ok: false, reason: "mismatch" });
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhookSignature(secret, moved, body, t)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a stale timestamp even with a valid MAC (replay)", () => {
    const header = signatureHeader(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body, t + 301, 300)).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature(secret, header, body, t - 301, 300)).toEqual({ ok: false, reason: "stale" });
  });

  it("rejects missing or malformed headers", () => {
    for (const header of [undefined, "", "v1=abc", `t=${t}`, `t=x,v1=${"0".repeat(64)}`, `t=${t},v1=${"g".repeat(64)}`]) {
      expect(verifyWebhookSignature(secret, header, body, t)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("accepts any matching v1 among several (secret rotation)", () => {
    const header = `t=${t},v1=${"0".repeat(64)},v1=${signWebhook(secret, t, body)}`;
    expect(verifyWebhookSignature(secret, header, body, t).ok).toBe(true);
  });
});
