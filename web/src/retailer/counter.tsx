import type { HDNodeWallet } from "ethers";
import { useState } from "preact/hooks";
import { language, t } from "../i18n.js";
import { formatMoney } from "../ui/format.js";
import { Card } from "../ui/layout.js";
import { History } from "./history.js";
import { Money } from "./money.js";
import { PayMe } from "./pay-me.js";
import { Receive } from "./receive.js";
import { Redeem } from "./redeem.js";
import type { RetailerOverview } from "../../../services/api/client/types.js";
import { AsOfBlock } from "../ui/as-of-block.js";

const TABS = ["receive", "redeem", "history"] as const;
type Tab = (typeof TABS)[number];

/**
 * The "pay me" code first (what the till shows most), then the shop's tokens and its money; below, one task at
 * a time: take a voucher, redeem, or look back.
 */
export function Counter(props: { memberKey: string; wallet: HDNodeWallet; overview: RetailerOverview; refresh: () => Promise<void> }) {
  const [tab, setTab] = useState<Tab>("receive");
  const { overview } = props;
  return (
    <>
      <PayMe address={props.wallet.address} recent={overview.payments.slice(0, 3)} />
      <Card title={t("retailer.balances")}>
        {overview.updating && <p class="hint" role="status">{t("retailer.balances.updating")}</p>}
        {overview.balances.length === 0 ? (
          !overview.updating && <p class="muted">{t("retailer.balances.none")}</p>
        ) : (
          <ul class="list balances" aria-label={t("retailer.balances")}>
            {overview.balances.map((b) => (
              <li class="line" data-program={b.programId}>
                <span>{b.name}</span>
                <strong>{formatMoney(b.balance, b.symbol, 18, language.value)}</strong>
              </li>
            ))}
          </ul>
        )}
        {overview.balancesBlock !== null && <AsOfBlock block={overview.balancesBlock} />}
      </Card>
      <Money address={props.wallet.address} overview={overview} />
      <div class="tabs" role="tablist">
        {TABS.map((name) => (
          <button type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
            {t(`retailer.tab.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "receive" && <Receive memberKey={props.memberKey} address={props.wallet.address} onSettled={props.refresh} />}
        {tab === "redeem" && <Redeem memberKey={props.memberKey} wallet={props.wallet} overview={overview} onSettled={props.refresh} />}
        {tab === "history" && <History overview={overview} />}
      </div>
    </>
  );
}
