import { t, type MessageKey } from "../i18n.js";
import { REFUSAL_WORDS, REFUSED_OTHER } from "./refusal-words.js";

// Typed here, where the messages are known: a word key that is not a message fails the web's typecheck.
const WORDS: Readonly<Record<string, MessageKey>> = REFUSAL_WORDS;
const OTHER: MessageKey = REFUSED_OTHER;

/** An API refusal's code in the current language: its own words, or the general sentence for one without. */
export const refusalWords = (code: string): string => t(WORDS[code] ?? OTHER);
