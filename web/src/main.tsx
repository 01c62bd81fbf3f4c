import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { lazy, Suspense } from "preact/compat";
import { t } from "./i18n.js";
import { Layout } from "./ui/layout.js";
import { UpdatePrompt } from "./ui/update-prompt.js";
import "./styles.css";

// Each face loads on its own: a collector's phone never downloads the sponsor's charts.
const FACES = {
  collector: lazy(() => import("./collector/index.js")),
  point: lazy(() => import("./point/index.js")),
  retailer: lazy(() => import("./retailer/index.js")),
  sponsor: lazy(() => import("./sponsor/index.js")),
  operator: lazy(() => import("./operator/index.js")),
  processor: lazy(() => import("./processor/index.js")),
} as const;
type Face = keyof typeof FACES;

const routeOf = () => location.hash.replace(/^#\/?/, "").split("/")[0] ?? "";

function App() {
  const [route, setRoute] = useState(routeOf());
  useEffect(() => {
    const changed = () => setRoute(routeOf());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  if (route in FACES) {
    const Face = FACES[route as Face];
    return (
      <Suspense fallback={<p class="loading">{t("common.loading")}</p>}>
        <Face />
      </Suspense>
    );
  }
  return <Home />;
}

function Home() {
  return (
    <Layout title={t("app.name")}>
      <p class="tagline">{t("app.tagline")}</p>
      <nav class="faces">
        {(Object.keys(FACES) as Face[]).map((face) => (
          <a class="face" href={`#/${face}`}>
            <strong>{t(`role.${face}`)}</strong>
            <span>{t(`role.${face}.hint`)}</span>
          </a>
        ))}
      </nav>
    </Layout>
  );
}

// The service worker keeps the app on the phone for when there is no signal; the prompt offers a new release.
render(
  <>
    <UpdatePrompt />
    <App />
  </>,
  document.getElementById("app")!,
);
