import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { t } from "../i18n.js";
import type { Payment, PublicProgram } from "../../../services/api/client/types.js";
import { loadNetwork } from "../network.js";
import { usePolling } from "../poll.js";
import { Card, Problem } from "../ui/layout.js";
import { Scanner } from "../ui/scanner.js";
import { isFinal, shortHash } from "../ui/status-steps.js";
import { PaymentRow } from "./payment-row.js";
import { voucherPayee } from "./voucher-payee.js";

/** Vouchers taken at the till, each watched until it settles (read with the shop's key: payments are the payer's and the payee's only). */
export function Receive(props: { memberKey: string; address: string; onSettled: () => void }) {
  const [programs, setPrograms] = useState<PublicProgram[]>([]);
  const [payments, setPayments] = useState<Payment[]>([]);
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => void loadNetwork().then((n) => setPrograms(n.programs), setProblem), []);

  const submit = async (text: string) => {
    setProblem(undefined);
    const payee = voucherPayee(text);
    if (!payee) return setProblem(new ApiError(400, "RC_INVALID_VOUCHER", t("retailer.voucher.invalid")));
    if (payee.toLowerCase() !== props.address.toLowerCase()) {
      return setProblem(new ApiError(400, "RC_VOUCHER_NOT_YOURS", t("retailer.voucher.notYours", { address: shortHash(payee) })));
    }
    setBusy(true);
    try {
      const payment = await api.createPayment({ voucher: text.trim() });
      setPayments((list) => [payment, ...list.filter((p) => p.id !== payment.id)]);
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === "RC_AUTHORIZATION_REPLAYED" ? new ApiError(409, error.code, t("retailer.voucher.used")) : error);
    } finally {
      setBusy(false);
    }
  };

  const moving = payments.some((p) => !isFinal(p.status));
  usePolling(moving, async () => {
    const next = await Promise.all(payments.map((p) => (isFinal(p.status) ? p : api.payment(p.id, { apiKey: props.memberKey }))));
    if (next.some((p, i) => isFinal(p.status) && !isFinal(payments[i]!.status))) props.onSettled();
    setPayments(next);
  });

  const symbol = (programId: number) => programs.find((p) => p.id === programId)?.symbol ?? "";
  return (
    <Card title={t("retailer.voucher")}>
      <p class="hint">{t("retailer.voucher.hint")}</p>
      <Scanner label={t("retailer.voucher.code")} placeholder="recircle:…" onCode={submit} />
      {busy && <p class="muted">{t("retailer.voucher.sending")}</p>}
      {problem !== undefined && <Problem error={problem} />}
      {payments.length > 0 && (
        <ul class="list" aria-label={t("retailer.voucher.taken")}>
          {payments.map((p) => (
            <PaymentRow payment={p} symbol={symbol(p.programId)} lead={t("retailer.payment.from")} />
          ))}
        </ul>
      )}
    </Card>
  );
}
