import { t, type MessageKey } from "../i18n.js";

/**
 * A material as people call it in the current language ("Paper", "Kertas"). The resin codes (PET, HDPE, …) are
 * printed on the items themselves and read the same in both languages. A code the app does not know yet is
 * shown as the API sent it.
 */
export function materialName(material: string): string {
  const key = `material.${material}` as MessageKey;
  const name = t(key);
  return name === key ? material : name;
}
