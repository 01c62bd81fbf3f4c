import { describe, expect, it } from "vitest";
import { MATERIALS } from "../../services/core/materials.js";
import en from "../../web/src/messages/en/common.json" with { type: "json" };
import id from "../../web/src/messages/id/common.json" with { type: "json" };

describe("the material names", () => {
  it("name every material the API takes, in both languages", () => {
    for (const messages of [en, id] as Record<string, string>[]) {
      expect(MATERIALS.filter((material) => !messages[`material.${material}`])).toEqual([]);
    }
    expect([(en as Record<string, string>)["material.PAPER"], (id as Record<string, string>)["material.PAPER"]]).toEqual(["Paper", "Kertas"]);
  });
});
