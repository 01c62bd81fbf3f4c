import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";
import { Home } from "./home.js";
import { Pay } from "./pay.js";
import { Score } from "./score.js";
import { CollectorWallet, lockCollectorWallet } from "./wallet.js";

const TABS = ["home", "pay", "score"] as const;
type Tab = (typeof TABS)[number];
const tabOf = (): Tab => {
  const tab = location.hash.split("/")[2];
  return (TABS as readonly string[]).includes(tab ?? "") ? (tab as Tab) : "home";
};

export default function CollectorFace() {
  const [tab, setTab] = useState<Tab>(tabOf());
  useEffect(() => {
    const changed = () => setTab(tabOf());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return (
    <Layout title={t("role.collector")}>
      <CollectorWallet>{(wallet) => <Collector wallet={wallet} tab={tab} />}</CollectorWallet>
    </Layout>
  );
}

function Collector(props: { wallet: CollectorSigner; tab: Tab }) {
  return (
    <>
      {props.tab === "home" && <Home wallet={props.wallet} />}
      {props.tab === "pay" && <Pay wallet={props.wallet} />}
      {props.tab === "score" && <Score wallet={props.wallet} />}
      <button type="button" class="secondary" onClick={lockCollectorWallet}>
        {t("collector.lock")}
      </button>
      {/* At the bottom, where the thumb of the hand holding the phone reaches. */}
      <nav class="tabs tabbar" aria-label={t("role.collector")}>
        {TABS.map((tab) => (
          <a href={`#/collector/${tab}`} aria-current={props.tab === tab ? "page" : undefined}>
            {t(`collector.tab.${tab}`)}
          </a>
        ))}
      </nav>
    </>
  );
}
