import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const MESSAGES = new URL("../../web/src/messages/", import.meta.url).pathname;
const read = (language: string, file: string) => JSON.parse(readFileSync(`${MESSAGES}${language}/${file}`, "utf8")) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("the web app's message files", () => {
  const files = readdirSync(`${MESSAGES}en`);

  it("give Bahasa Indonesia every English key, the same placeholders and no extra key", () => {
    for (const file of files) {
      const en = read("en", file);
      const id = read("id", file);
      expect(Object.keys(id).sort(), file).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        expect(placeholders(id[key]!), `${file} ${key}`).toEqual(placeholders(text));
        expect(id[key]!.trim(), `${file} ${key}`).not.toBe("");
      }
    }
  });

  it("prefix each face's keys with the face, so files never collide when merged", () => {
    for (const file of files.filter((name) => name !== "common.json")) {
      const face = file.replace(/\.json$/, "");
      for (const key of Object.keys(read("en", file))) expect(key.startsWith(`${face}.`), `${file} ${key}`).toBe(true);
    }
  });
});
