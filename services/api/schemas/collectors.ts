import { Type } from "typebox";
import { Address, Id } from "./common.js";
import { A } from "./examples.js";

export const Phone = Type.String({
  minLength: 1,
  maxLength: 32,
  description: "International, e.g. +6281234567890, or local to the program's country (its phoneCountry), e.g. 081234567890 in Indonesia",
});

/** Where a route with no drop-off reads a local number: the program's country; without one, Indonesia ("ID"). */
const PhoneProgram = Type.Optional(
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "The program whose phoneCountry a local phone number is read in; without it, Indonesia's" }),
);

// Exactly one of address and phone (checked in the handler: an anyOf would answer with a vaguer error).
export const RegisterBody = Type.Object(
  {
    address: Type.Optional(Address),
    phone: Type.Optional(Phone),
    programId: PhoneProgram,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false, examples: [{ address: A.collector, displayName: "Ibu Sari" }, { phone: "+6281234567890", displayName: "Pak Budi" }, { phone: "0812 3456 7890", programId: 1 }] },
);

/** POST /v1/collectors: a registered wallet, or a phone collector named by a masked number. */
export const Collector = Type.Object({
  id: Id,
  address: Type.Optional(Address),
  phone: Type.Optional(Type.String({ description: "A phone collector's number, masked: +62•••••••7890" })),
  displayName: Type.Union([Type.String(), Type.Null()]),
}, { examples: [{ id: 12, address: A.collector, displayName: "Ibu Sari" }, { id: 13, phone: "+62•••••••7890", displayName: "Pak Budi" }] });

export const ClaimCode = Type.Object({
  phone: Type.String({ description: "The number, masked" }),
  code: Type.String({ pattern: "^\\d{6}$", description: "Shown once: only its hash is kept", "x-secret": true }),
  expiresAt: Type.String({ format: "date-time" }),
}, { examples: [{ phone: "+62•••••••7890", code: "482913", expiresAt: "2026-11-30T09:30:00.000Z" }] });

export const Claimed = Type.Object({
  address: Address,
  released: Type.Integer({ description: "Escrowed credits now queued to mint to the address" }),
}, { examples: [{ address: A.collector, released: 3 }] });

export const ClaimCodeBody = Type.Object(
  { phone: Phone, programId: PhoneProgram },
  { additionalProperties: false, examples: [{ phone: "+6281234567890" }, { phone: "0812 3456 7890", programId: 1 }] },
);

export const ClaimBody = Type.Object(
  { phone: Phone, programId: PhoneProgram, code: Type.String({ pattern: "^\\d{6}$" }), address: Address },
  { additionalProperties: false, examples: [{ phone: "+6281234567890", code: "482913", address: A.collector }] },
);
