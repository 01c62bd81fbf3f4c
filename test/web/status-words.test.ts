import { describe, expect, it } from "vitest";
import en from "../../web/src/messages/en/common.json" with { type: "json" };
import id from "../../web/src/messages/id/common.json" with { type: "json" };

const STEPS = ["pending", "submitted", "included", "confirmed", "held", "rejected", "failed", "escrowed"] as const;
const words = (messages: Record<string, string>) => STEPS.map((step) => messages[`status.${step}`]!);

describe("the words a chain write's steps are read in", () => {
  it("are plain in English: received, on its way, done; no chain words", () => {
    expect(words(en).slice(0, 4)).toEqual(["Received", "On its way", "On its way, almost done", "Done"]);
    for (const word of words(en)) expect(word).not.toMatch(/pending|submitted|confirm|block|escrow|transaction/i);
  });

  it("are plain in Bahasa Indonesia too", () => {
    expect(words(id).slice(0, 4)).toEqual(["Diterima", "Sedang dikirim", "Sedang dikirim, hampir selesai", "Selesai"]);
    for (const word of words(id)) expect(word).not.toMatch(/blok|konfirmasi|transaksi|escrow/i);
  });
});
