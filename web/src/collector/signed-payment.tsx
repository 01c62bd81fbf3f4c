import { useEffect, useState } from "preact/hooks";
import type { Payment } from "../../../services/api/client/types.js";
import { api, ApiError } from "../api.js";
import { language, t } from "../i18n.js";
import { formatAmount } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { QrCode } from "../ui/qr-code.js";
import { StatusSteps } from "../ui/status-steps.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";
import { release, type Signed } from "./kept-vouchers.js";
import { collectorRead } from "./session.js";

/**
 * A signed payment: sent now, or shown as a voucher for the shop to scan. Until the API accepts it, it stays
 * kept on the phone (see kept-vouchers.ts): "Done" leaves this screen, never the signature.
 */
export function SignedPayment(props: { wallet: CollectorSigner; signed: Signed; showVoucher?: boolean; onDone: () => void }) {
  const { signed } = props;
  const [mode, setMode] = useState<"choose" | "voucher" | "sent">(props.showVoucher && signed.voucher ? "voucher" : "choose");
  const [payment, setPayment] = useState<Payment>();
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    if (!payment || payment.status === "confirmed" || payment.status === "failed") return;
    const timer = window.setTimeout(async () => {
      try {
        // Only the payer (its session), the payee and the admin may read a payment.
        setPayment(await collectorRead(props.wallet, (token) => api.payment(payment.id, { apiKey: token })));
      } catch (error) {
        setProblem(error);
      }
    }, 1_000);
    return () => window.clearTimeout(timer);
  }, [payment]);

  const send = async () => {
    try {
      // The same signed authorization every time: the token refuses its nonce twice, so a resend cannot pay twice.
      const created = await api.createPayment({ programId: signed.programId, authorization: signed.authorization, signature: signed.signature });
      release(props.wallet.address, signed.authorization.nonce);
      setPayment(created);
      setMode("sent");
      setProblem(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.code === "RC_AUTHORIZATION_REPLAYED") {
        // The shop submitted the voucher first: it is paid, nothing left to keep.
        release(props.wallet.address, signed.authorization.nonce);
        return setProblem(new ApiError(409, error.code, t("collector.pay.alreadyTaken")));
      }
      setProblem(error);
    }
  };

  return (
    <Card title={t("collector.pay.signed", { amount: formatAmount(signed.amount, 18, language.value), symbol: signed.symbol, shop: signed.payeeName })}>
      <details>
        <summary>{t("collector.pay.shopAddress")}</summary>
        <code>{signed.authorization.to}</code>
      </details>
      {mode === "choose" && (
        <>
          <button type="button" onClick={send}>
            {t("collector.pay.sendNow")}
          </button>
          {signed.voucher && (
            <button type="button" class="secondary" onClick={() => setMode("voucher")}>
              {t("collector.pay.showVoucher")}
            </button>
          )}
        </>
      )}
      {mode === "voucher" && signed.voucher && (
        <>
          <p class="hint">{t("collector.pay.voucher.hint")}</p>
          <QrCode text={signed.voucher} label={t("collector.pay.voucher")} size={300} />
          <details>
            <summary>{t("collector.pay.voucher.text")}</summary>
            <code data-testid="voucher-text">{signed.voucher}</code>
          </details>
          <button type="button" class="secondary" onClick={send}>
            {t("collector.pay.sendNow")}
          </button>
        </>
      )}
      {mode === "sent" && payment && (
        <StatusSteps status={payment.status} blockNumber={payment.blockNumber} txHash={payment.txHash} reason={payment.failureReason} />
      )}
      {problem !== undefined && <Problem error={problem} />}
      {mode !== "sent" && <p class="hint">{t("collector.pay.keptHint")}</p>}
      <button type="button" class="secondary" onClick={props.onDone}>
        {t("collector.pay.done")}
      </button>
    </Card>
  );
}
