import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { LANGUAGES, language, setLanguage, t, type Language } from "../i18n.js";

/** Every screen: a title bar with the way home and the language, then the content, one column. */
export function Layout(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <>
      <header class="bar">
        <a href="#/" class="home" aria-label={t("nav.home")}>
          ♻
        </a>
        <h1>{props.title}</h1>
        <select
          aria-label={t("nav.language")}
          value={language.value}
          onChange={(event) => setLanguage((event.currentTarget as HTMLSelectElement).value as Language)}
        >
          {Object.entries(LANGUAGES).map(([code, name]) => (
            <option value={code}>{name}</option>
          ))}
        </select>
      </header>
      <main>
        <OfflineNotice />
        {props.children}
      </main>
      {props.actions && <footer class="actions">{props.actions}</footer>}
    </>
  );
}

/** A card with an optional heading: the unit every screen is built from. */
export function Card(props: { title?: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${props.class ?? ""}`}>
      {props.title && <h2>{props.title}</h2>}
      {props.children}
    </section>
  );
}

/**
 * An error as the person can act on it. The API's refusals (4xx, an RC_ code) are said as they are: "this
 * voucher was already taken" is an answer, not a fault. Anything else is a fault, and said to be one.
 */
export function Problem(props: { error: unknown }) {
  const error = props.error as { status?: number; code?: string; message?: string };
  const refusal = typeof error?.status === "number" && error.status >= 400 && error.status < 500 && error.code?.startsWith("RC_");
  const message = error?.message ?? String(props.error);
  return (
    <p class="problem" role="alert">
      {refusal ? message : t("common.error", { message })}
      {error?.code && <code> {error.code}</code>}
    </p>
  );
}

/** Said plainly while the phone has no connection: what still works, and that nothing is lost. */
function OfflineNotice() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const changed = () => setOnline(navigator.onLine);
    addEventListener("online", changed);
    addEventListener("offline", changed);
    return () => (removeEventListener("online", changed), removeEventListener("offline", changed));
  }, []);
  return online ? null : (
    <p class="offline" role="status">
      {t("common.offline")}
    </p>
  );
}
