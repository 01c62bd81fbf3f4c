import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import { WalletGate } from "../wallet/wallet-gate.js";

export default function CollectorFace() {
  return (
    <Layout title={t("role.collector")}>
      <WalletGate role="collector">{(wallet) => <code>{wallet.address}</code>}</WalletGate>
    </Layout>
  );
}
