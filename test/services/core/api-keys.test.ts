import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey } from "../../../services/core/api-keys.js";

describe("generateApiKey", () => {
  it("is rck_ followed by 32 bytes of base64url", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^rck_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), "base64url")).toHaveLength(32);
  });

  it("never repeats a key over 1000 draws", () => {
    const keys = new Set(Array.from({ length: 1_000 }, generateApiKey));
    expect(keys.size).toBe(1_000);
    for (const key of keys) expect(key).toMatch(/^rck_[A-Za-z0-9_-]{43}$/);
  });
});

describe("hashApiKey", () => {
  it("is a deterministic 32-byte SHA-256 digest", () => {
    const key = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash).toBeInstanceOf(Buffer);
    expect(hash).toHaveLength(32);
    expect(hashApiKey(key).equals(hash)).toBe(true);
  });

  it("matches the known SHA-256 of a fixed key", () => {
    expect(hashApiKey("abc").toString("hex")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("differs between keys, even by one character", () => {
    const key = generateApiKey();
    const other = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    expect(hashApiKey(key).equals(hashApiKey(other))).toBe(false);
    expect(hashApiKey(key).equals(hashApiKey(generateApiKey()))).toBe(false);
  });
});
