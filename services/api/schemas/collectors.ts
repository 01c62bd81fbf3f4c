import { Type } from "typebox";
import { Address, Id } from "./common.js";

export const Phone = Type.String({ minLength: 1, maxLength: 32, description: "E.164, e.g. +6281234567890" });

// Exactly one of address and phone (checked in the handler: an anyOf would answer with a vaguer error).
export const RegisterBody = Type.Object(
  {
    address: Type.Optional(Address),
    phone: Type.Optional(Phone),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** POST /v1/collectors: a registered wallet, or a phone collector named by a masked number. */
export const Collector = Type.Object({
  id: Id,
  address: Type.Optional(Address),
  phone: Type.Optional(Type.String({ description: "A phone collector's number, masked: +62•••••••7890" })),
  displayName: Type.Union([Type.String(), Type.Null()]),
});

export const ClaimCode = Type.Object({
  phone: Type.String({ description: "The number, masked" }),
  code: Type.String({ pattern: "^\\d{6}$", description: "Shown once: only its hash is kept" }),
  expiresAt: Type.String({ format: "date-time" }),
});

export const Claimed = Type.Object({
  address: Address,
  released: Type.Integer({ description: "Escrowed credits now queued to mint to the address" }),
});

export const ClaimCodeBody = Type.Object({ phone: Phone }, { additionalProperties: false });

export const ClaimBody = Type.Object(
  { phone: Phone, code: Type.String({ pattern: "^\\d{6}$" }), address: Address },
  { additionalProperties: false },
);
