import { t, type MessageKey } from "../i18n.js";
import type { Refusal } from "./outbox.js";

/** The API's refusals of a collector or a drop-off, in the point's words: the code stays in the details. */
const WORDS: Record<string, MessageKey> = {
  RC_COLLECTOR_NOT_FOUND: "point.refused.collector",
  RC_INVALID_ADDRESS: "point.refused.address",
  RC_BAD_CHECKSUM: "point.refused.address",
  RC_NOT_PROGRAM_ISSUER: "point.refused.notIssuer",
  RC_PROGRAM_NOT_FOUND: "point.refused.program",
  RC_PROGRAM_KIND: "point.refused.program",
  RC_CREDIT_TOO_LARGE: "point.refused.tooLarge",
  RC_IDEMPOTENCY_KEY_REUSED: "point.refused.keyReused",
  RC_INVALID_PHONE: "point.refused.phone",
  RC_PHONE_NOT_FOUND: "point.refused.phoneUnknown",
  RC_PHONE_ALREADY_CLAIMED: "point.refused.phoneClaimed",
  RC_PHONES_UNAVAILABLE: "point.refused.phonesOff",
};

export const refusalWords = (refused: Refusal): string => t(WORDS[refused.code] ?? "point.refused.other", { status: refused.status });
