import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { LANGUAGES, language, setLanguage, t, type Language } from "../i18n.js";
import { refusalWords } from "./refusal.js";

/**
 * Every screen: a title bar with the way home and the language, then the content, one column. `offline` is
 * what this screen can truly still do without a connection, said instead of the general notice.
 */
export function Layout(props: { title: string; children: ComponentChildren; actions?: ComponentChildren; offline?: string }) {
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
        <OfflineNotice text={props.offline} />
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
 * An error as the person can act on it, and what to do next. The API's refusals (4xx, an RC_ code) are answers, not
 * faults: each is said in the person's words from the one map (ui/refusal-words.ts), in their language, never in the
 * API's English. A refusal a page worded itself (an ApiError it made, without the client's `request`) is said as
 * written. No connection and the server's faults are said in words with what to try. The code and the raw text stay
 * one tap away, in "Details", for whoever reports it: people never read an RC_ code in the normal flow.
 */
export function Problem(props: { error: unknown }) {
  const error = (typeof props.error === "object" && props.error !== null ? props.error : {}) as { status?: number; code?: string; message?: string; request?: string };
  const message = error.message ?? String(props.error);
  const refused = isRefusal(error);
  // The API's own answer carries its request; a refusal kept by the point carries only its status and code.
  const fromApi = error.request !== undefined || error.message === undefined;
  const said =
    error.status === 0 ? t("common.noConnection")
    : refused && fromApi ? refusalWords(error.code!)
    : error.status === undefined || refused ? message
    : t("common.fault");
  const details = said === message ? error.code : [error.code, error.message].filter(Boolean).join(": ");
  return (
    <div class="problem" role="alert">
      <p>{said}</p>
      {details && (
        <details class="problem-details">
          <summary>{t("common.details")}</summary>
          <code>{details}</code>
        </details>
      )}
    </div>
  );
}

/** An answer of the API's that refuses on purpose: a 4xx with its RC_ code. */
const isRefusal = (error: { status?: number; code?: string }) =>
  error.status !== undefined && error.status >= 400 && error.status < 500 && error.code?.startsWith("RC_") === true;

/** Said plainly while the phone has no connection, promising only what is true of the screen. */
function OfflineNotice(props: { text?: string | undefined }) {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const changed = () => setOnline(navigator.onLine);
    addEventListener("online", changed);
    addEventListener("offline", changed);
    return () => (removeEventListener("online", changed), removeEventListener("offline", changed));
  }, []);
  return online ? null : (
    <p class="offline" role="status">
      {props.text ?? t("common.offline")}
    </p>
  );
}
