import { describe, expect, it } from "vitest";
import { countryName, phoneCountries } from "../../../web/src/operator/countries.js";

describe("the countries a program can run in", () => {
  it("are every country whose phone numbers the API reads, by name in the page's language, sorted as it sorts", () => {
    const en = phoneCountries("en");
    expect(en.map((c) => c.code)).toEqual(expect.arrayContaining(["ID", "PH", "VN"]));
    expect(en.find((c) => c.code === "PH")?.name).toBe("Philippines");
    const names = en.map((c) => c.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("en").compare));
    expect(phoneCountries("id").find((c) => c.code === "PH")?.name).toBe("Filipina");
  });

  it("names a country in each language", () => {
    expect([countryName("ID", "en"), countryName("ID", "id")]).toEqual(["Indonesia", "Indonesia"]);
    expect([countryName("PH", "en"), countryName("PH", "id")]).toEqual(["Philippines", "Filipina"]);
  });
});
