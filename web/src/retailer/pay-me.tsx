import { useEffect, useState } from "preact/hooks";
import type { Payment, PublicProgram } from "../../../services/api/client/types.js";
import { loadNetwork } from "../network.js";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { QrCode } from "../ui/qr-code.js";
import { PaymentRow } from "./payment-row.js";

/** The shop's "pay me" code, first on its screen (what the till shows most), with the latest payments in. */
export function PayMe(props: { address: string; recent: Payment[] }) {
  const [programs, setPrograms] = useState<PublicProgram[]>([]);
  useEffect(() => void loadNetwork().then((n) => setPrograms(n.programs), () => undefined), []);
  const symbol = (programId: number) => programs.find((p) => p.id === programId)?.symbol ?? "";
  return (
    <Card title={t("retailer.payMe")}>
      <p class="hint">{t("retailer.payMe.hint")}</p>
      <QrCode text={props.address} label={t("retailer.payMe")} size={240} />
      <details>
        <summary>{t("retailer.payMe.address")}</summary>
        <code>{props.address}</code>
      </details>
      {props.recent.length > 0 && (
        <>
          <h3>{t("retailer.payMe.recent")}</h3>
          <ul class="list" aria-label={t("retailer.payMe.recent")}>
            {props.recent.map((p) => (
              <PaymentRow payment={p} symbol={symbol(p.programId)} lead={t("retailer.payment.from")} />
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
