import { describe, expect, it } from "vitest";
import { generateWebhookSecret } from "../../../services/core/webhooks.js";

describe("webhook secrets", () => {
  it("generates distinct 32-byte secrets", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
