import { describe, expect, it } from "vitest";
import en from "../../web/src/messages/en/point.json" with { type: "json" };
import id from "../../web/src/messages/id/point.json" with { type: "json" };
import { phoneExample } from "../../web/src/point/phone-example.js";

/** A message with its `{name}`s filled, as web/src/i18n.ts fills them. */
const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

describe("the phone field's example number, from the program's country", () => {
  it("is a mobile number as people there write it, locally and internationally", () => {
    expect(phoneExample("ID")).toEqual({ local: "0812-345-678", international: "+62 812 345 678" });
    expect(phoneExample("PH")).toEqual({ local: "0905 123 4567", international: "+63 905 123 4567" });
  });

  it("fills the placeholder and the hint in both languages: a Philippine program's counter sees no Indonesian number", () => {
    expect(fill(en["point.phone.invalid"], phoneExample("PH"))).toBe("This is not a phone number: type it as 0905 123 4567 or +63 905 123 4567.");
    expect(fill(id["point.phone.invalid"], phoneExample("PH"))).toBe("Ini bukan nomor HP: tulis seperti 0905 123 4567 atau +63 905 123 4567.");
    expect(fill(en["point.phone.invalid"], phoneExample("ID"))).toBe("This is not a phone number: type it as 0812-345-678 or +62 812 345 678.");
    expect(fill(id["point.phone.invalid"], phoneExample("ID"))).toBe("Ini bukan nomor HP: tulis seperti 0812-345-678 atau +62 812 345 678.");
  });

  it("falls back to Indonesia's for a country it has no example of, rather than an empty field", () => {
    expect(phoneExample("XX")).toEqual(phoneExample("ID"));
  });
});
