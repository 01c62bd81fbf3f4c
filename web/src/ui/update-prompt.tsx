import { useRegisterSW } from "virtual:pwa-register/preact";
import { t } from "../i18n.js";

/** A collection point keeps the app open all day: it looks for a new release this often, besides at each opening. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Registers the service worker (src/sw.ts) and, once a new release is kept on the phone and waiting, offers it.
 * Taking it hands the page to the new worker, which reloads the page; until then the page runs the release it
 * started with, whole, and offline too.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [waiting],
    updateServiceWorker,
  } = useRegisterSW({
    // After the page's own load, so the first paint does not share a slow connection with the precache.
    immediate: false,
    onRegisteredSW: (_url, registration) => void (registration && setInterval(() => void registration.update(), CHECK_EVERY_MS)),
  });
  if (!waiting) return null;
  return (
    <div class="update" role="status">
      <span>{t("app.update")}</span>
      <button type="button" onClick={() => void updateServiceWorker()}>
        {t("app.update.reload")}
      </button>
    </div>
  );
}
