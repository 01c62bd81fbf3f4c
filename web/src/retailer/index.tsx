import "../counter.css";
import type { HDNodeWallet } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { usePolling } from "../poll.js";
import type { RetailerOverview } from "../../../services/api/client/types.js";
import { Card, Layout, Problem } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";
import { isFinal } from "../ui/status-steps.js";
import { forgetWallet } from "../wallet/keystore.js";
import { lockWallet, WalletGate } from "../wallet/wallet-gate.js";
import { Counter } from "./counter.js";

/** The retailer's phone at the till: take tokens (vouchers), redeem them for the sponsors' stablecoin. */
export default function RetailerFace() {
  return (
    <Layout title={t("role.retailer")}>
      <MemberGate role="retailer">{(key, signOut) => <RetailerGate memberKey={key} signOut={signOut} />}</MemberGate>
    </Layout>
  );
}

/** The member's record first (its chain address), then the wallet that must be that address. */
function RetailerGate(props: { memberKey: string; signOut: () => void }) {
  const [overview, setOverview] = useState<RetailerOverview>();
  const [problem, setProblem] = useState<unknown>();
  const refresh = async () => {
    try {
      setOverview(await api.retailerOverview({ apiKey: props.memberKey }));
      setProblem(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return props.signOut();
      setProblem(error);
    }
  };
  useEffect(() => void refresh(), [props.memberKey]);
  const moving = !!overview && [...overview.payments, ...overview.redemptions].some((item) => !isFinal(item.status));
  usePolling(moving, refresh, 2000);
  // Idle, the till still hears of a collector paying online within a few seconds.
  usePolling(!!overview && !moving, refresh, 5000);

  if (!overview) {
    return problem ? (
      <Card>
        <Problem error={problem} />
        <button type="button" onClick={refresh}>
          {t("common.retry")}
        </button>
      </Card>
    ) : (
      <p class="loading">{t("common.loading")}</p>
    );
  }
  if (!overview.address) {
    return (
      <Card>
        <p class="problem">{t("retailer.noAddress")}</p>
        <SignOut onClick={props.signOut} />
      </Card>
    );
  }
  const address = overview.address;
  return (
    <WalletGate role="retailer">
      {(wallet) =>
        wallet.address.toLowerCase() === address.toLowerCase() ? (
          <>
            {problem !== undefined && <Problem error={problem} />}
            <Counter memberKey={props.memberKey} wallet={wallet} overview={overview} refresh={refresh} />
            <SignOut onClick={props.signOut} />
          </>
        ) : (
          <WrongWallet wallet={wallet} expected={address} signOut={props.signOut} />
        )
      }
    </WalletGate>
  );
}

function SignOut(props: { onClick: () => void }) {
  return (
    <button type="button" class="secondary" onClick={props.onClick}>
      {t("common.signOut")}
    </button>
  );
}

/** The shop's tokens are at the member's address: a wallet for another address cannot sign for them. */
function WrongWallet(props: { wallet: HDNodeWallet; expected: string; signOut: () => void }) {
  return (
    <Card title={t("retailer.wrongWallet")}>
      <p class="problem" role="alert">
        {t("retailer.wrongWallet.explain")}
      </p>
      <dl class="addresses">
        <dt>{t("retailer.wrongWallet.shop")}</dt>
        <dd>
          <code>{props.expected}</code>
        </dd>
        <dt>{t("retailer.wrongWallet.phone")}</dt>
        <dd>
          <code>{props.wallet.address}</code>
        </dd>
      </dl>
      <p class="hint">{t("retailer.wrongWallet.fix")}</p>
      <button
        type="button"
        class="danger"
        onClick={async () => {
          if (!confirm(t("wallet.forget.confirm"))) return;
          await forgetWallet("retailer");
          lockWallet("retailer");
        }}
      >
        {t("wallet.forget")}
      </button>
      <SignOut onClick={props.signOut} />
    </Card>
  );
}
