import { signal } from "@preact/signals";
import enCollector from "./messages/en/collector.json";
import enCommon from "./messages/en/common.json";
import enPoint from "./messages/en/point.json";
import enRetailer from "./messages/en/retailer.json";
import enOperator from "./messages/en/operator.json";
import enProcessor from "./messages/en/processor.json";
import enSponsor from "./messages/en/sponsor.json";
import idCollector from "./messages/id/collector.json";
import idCommon from "./messages/id/common.json";
import idPoint from "./messages/id/point.json";
import idRetailer from "./messages/id/retailer.json";
import idOperator from "./messages/id/operator.json";
import idProcessor from "./messages/id/processor.json";
import idSponsor from "./messages/id/sponsor.json";

/** English, and Bahasa Indonesia: where much of the world's ocean-bound plastic is collected. */
// Short names: the menu shares a 360 px title bar with the screen's name.
export const LANGUAGES = { en: "English", id: "Indonesia" } as const;
export type Language = keyof typeof LANGUAGES;

const en = { ...enCommon, ...enCollector, ...enPoint, ...enRetailer, ...enSponsor, ...enOperator, ...enProcessor };
export type MessageKey = keyof typeof en;
export const MESSAGES: Record<Language, Record<MessageKey, string>> = {
  en,
  id: { ...idCommon, ...idCollector, ...idPoint, ...idRetailer, ...idSponsor, ...idOperator, ...idProcessor },
};

const STORAGE_KEY = "recircle.language";

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && stored in LANGUAGES) return stored as Language;
  return navigator.language.toLowerCase().startsWith("id") ? "id" : "en";
}

export const language = signal<Language>(initialLanguage());

export function setLanguage(next: Language) {
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  language.value = next;
}

/** A message in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = MESSAGES[language.value][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
