import { describe, expect, it } from "vitest";
import { generateWebhookSecret, parseWebhookUrl } from "../../../services/core/webhooks.js";

describe("webhook URLs and secrets", () => {
  it("accepts http and https URLs and normalizes them", () => {
    expect(parseWebhookUrl("https://Example.com/hooks?x=1")).toBe("https://example.com/hooks?x=1");
    expect(parseWebhookUrl("http://127.0.0.1:8080/in")).toBe("http://127.0.0.1:8080/in");
  });

  it("rejects other schemes, credentials, fragments and non-URLs", () => {
    for (const url of [
      "ftp://example.com/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "https://user:pass@example.com/",
      "https://user@example.com/",
      "https://@example.com/",
      "https://example.com/#frag",
      "example.com/hook",
      "",
    ]) {
      expect(() => parseWebhookUrl(url), url).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_INVALID" }));
    }
  });

  it("generates distinct 32-byte secrets", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
