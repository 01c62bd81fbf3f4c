import { describe, expect, it } from "vitest";
import { SSRF_URLS } from "../../../harness/fuzz/ssrf-urls.js";
import { addressAllowed, classifyAddress, classifyHost, parseWebhookUrl } from "../../../services/core/webhook-address.js";

const STRICT = { allowHttp: false, allowLoopback: false };
const HTTP = { allowHttp: true, allowLoopback: false };
const LOCAL = { allowHttp: false, allowLoopback: true };

describe("webhook addresses", () => {
  it("refuses every loopback, private, link-local, CGNAT, multicast, unspecified, unique-local and metadata URL, in any spelling", () => {
    expect(SSRF_URLS.length).toBeGreaterThanOrEqual(15);
    for (const { url, kind } of SSRF_URLS) {
      // Plain http allowed: what refuses them is the address, not the scheme.
      expect(() => parseWebhookUrl(url, HTTP), url).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_BLOCKED", statusCode: 400 }));
      expect(() => parseWebhookUrl(url.replace(/^http:/, "https:"), HTTP), url).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_BLOCKED" }));
      expect(classifyHost(new URL(url).hostname), url).toBe(kind);
    }
  });

  it("classifies addresses, judging IPv6 forms that carry an IPv4 address by it", () => {
    expect(classifyAddress("8.8.8.8")).toBe("public");
    expect(classifyAddress("2606:4700:4700::1111")).toBe("public");
    expect(classifyAddress("::ffff:8.8.8.8")).toBe("public");
    expect(classifyAddress("::ffff:10.1.2.3")).toBe("private");
    expect(classifyAddress("::ffff:127.0.0.1")).toBe("loopback");
    expect(classifyAddress("::1")).toBe("loopback");
    expect(classifyAddress("[::1]")).toBe("loopback");
    expect(classifyAddress("172.15.255.255")).toBe("public");
    expect(classifyAddress("172.32.0.1")).toBe("public");
    expect(classifyAddress("100.63.255.255")).toBe("public");
    expect(classifyAddress("100.128.0.1")).toBe("public");
    expect(classifyAddress("169.254.169.254")).toBe("metadata");
    expect(classifyAddress("168.63.129.16")).toBe("metadata");
    expect(classifyAddress("fe80::1%eth0")).toBe("link-local");
    expect(classifyAddress("fc00::1")).toBe("unique-local");
    expect(classifyAddress("239.255.255.250")).toBe("multicast");
    expect(classifyAddress("not-an-address")).toBe("reserved");
  });

  it("accepts public https URLs and normalizes them, with the name left to resolve", () => {
    expect(parseWebhookUrl("https://Example.com/hooks?x=1", STRICT)).toEqual({ url: "https://example.com/hooks?x=1", name: "example.com" });
    expect(parseWebhookUrl("https://8.8.8.8/in", STRICT)).toEqual({ url: "https://8.8.8.8/in", name: undefined });
  });

  it("takes plain http only where allowed, and loopback receivers only with the loopback setting", () => {
    expect(() => parseWebhookUrl("http://example.com/in", STRICT)).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_INVALID" }));
    expect(parseWebhookUrl("http://example.com/in", HTTP).url).toBe("http://example.com/in");
    expect(() => parseWebhookUrl("http://127.0.0.1:8080/in", STRICT)).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_BLOCKED" }));
    expect(parseWebhookUrl("http://127.0.0.1:8080/in", LOCAL).url).toBe("http://127.0.0.1:8080/in");
    expect(parseWebhookUrl("http://[::1]:8080/in", LOCAL).url).toBe("http://[::1]:8080/in");
    // The loopback setting opens loopback only: private and metadata addresses stay refused.
    for (const url of ["http://10.0.0.1/", "http://169.254.169.254/", "http://[::ffff:169.254.169.254]/", "http://192.168.0.10/"]) {
      expect(() => parseWebhookUrl(url, LOCAL), url).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_BLOCKED" }));
    }
    expect(addressAllowed("loopback", LOCAL)).toBe(true);
    expect(addressAllowed("private", { allowHttp: true, allowLoopback: true })).toBe(false);
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
      expect(() => parseWebhookUrl(url, HTTP), url).toThrow(expect.objectContaining({ code: "RC_WEBHOOK_URL_INVALID" }));
    }
  });
});
