import { type HDNodeWallet, parseUnits, Signature } from "ethers";
import { useEffect, useState } from "preact/hooks";
import type { Payment } from "../../../services/api/client/types.js";
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import { encodeVoucher } from "../../../services/core/voucher.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { loadNetwork, tokenDomain } from "../network.js";
import { addressIn, formatAmount, shortAddress } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { QrCode } from "../ui/qr-code.js";
import { Scanner } from "../ui/scanner.js";
import { StatusSteps } from "../ui/status-steps.js";
import { takeNonce } from "./nonces.js";
import { useLedger } from "./use-ledger.js";

/** A voucher stays valid a week: long enough for a shop with a patchy connection to submit it. */
const VOUCHER_VALID_S = 7 * 24 * 3600;

interface Signed {
  programId: number;
  symbol: string;
  amount: string;
  authorization: { from: string; to: string; value: string; validAfter: number; validBefore: number; nonce: string };
  signature: string;
  voucher: string;
}

/**
 * Pay a retailer: its code, the program and an amount; the phone signs an EIP-3009 authorization (no gas,
 * no connection needed to sign), then sends it now or shows it as an offline voucher for the shop to submit.
 */
export function Pay(props: { wallet: HDNodeWallet }) {
  const { ledger } = useLedger(props.wallet);
  const [payee, setPayee] = useState<string>();
  const [programId, setProgramId] = useState<number>();
  const [amount, setAmount] = useState("");
  const [signed, setSigned] = useState<Signed>();
  const [problem, setProblem] = useState<unknown>();
  const funded = ledger?.balances.filter((b) => b.balance !== "0") ?? [];
  const program = funded.find((b) => b.programId === programId) ?? funded[0];

  if (signed) return <SignedPayment signed={signed} onDone={() => (setSigned(undefined), setAmount(""), setPayee(undefined))} />;

  const sign = async (event: Event) => {
    event.preventDefault();
    if (!payee || !program) return;
    try {
      const network = await loadNetwork();
      const publicProgram = network.programs.find((p) => p.id === program.programId);
      if (!publicProgram) throw new Error(`program ${program.programId} is unknown to this network`);
      const value = parseUnits(amount, 18);
      if (value <= 0n || value > parseUnits(program.balance, 18)) throw new Error(t("collector.pay.overBalance"));
      const authorization = {
        from: props.wallet.address,
        to: payee,
        value,
        validAfter: 0,
        validBefore: Math.floor(Date.now() / 1000) + VOUCHER_VALID_S,
        nonce: takeNonce(props.wallet.address),
      };
      const signature = Signature.from(await props.wallet.signTypedData(tokenDomain(network, publicProgram), TRANSFER_WITH_AUTHORIZATION_TYPES, authorization)).serialized;
      setSigned({
        programId: program.programId,
        symbol: program.symbol,
        amount,
        authorization: { ...authorization, value: amount },
        signature,
        voucher: encodeVoucher({ ...authorization, programId: program.programId, signature }),
      });
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <Card title={t("collector.pay")}>
      {!payee ? (
        <Scanner label={t("collector.pay.retailerCode")} placeholder="0x…" onCode={(text) => (addressIn(text) ? setPayee(addressIn(text)) : setProblem(new Error(t("collector.pay.badCode"))))} />
      ) : (
        <form onSubmit={sign}>
          <p>
            {t("collector.pay.to")} <code title={payee}>{shortAddress(payee)}</code>{" "}
            <button type="button" class="secondary" style={{ width: "auto" }} onClick={() => setPayee(undefined)}>
              {t("common.back")}
            </button>
          </p>
          {funded.length > 1 && (
            <label>
              {t("collector.pay.program")}
              <select value={program?.programId} onChange={(e) => setProgramId(Number((e.currentTarget as HTMLSelectElement).value))}>
                {funded.map((b) => (
                  <option value={b.programId}>
                    {b.symbol} · {formatAmount(b.balance)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t("collector.pay.amount", { symbol: program?.symbol ?? "" })}
            <input inputMode="decimal" autocomplete="off" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value.replace(",", "."))} />
          </label>
          {program && <p class="hint">{t("collector.pay.available", { amount: formatAmount(program.balance), symbol: program.symbol })}</p>}
          {!program && ledger && <p class="problem">{t("collector.balances.none")}</p>}
          <button type="submit" disabled={!program || !/^\d+(\.\d{1,18})?$/.test(amount)}>
            {t("collector.pay.sign")}
          </button>
        </form>
      )}
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}

function SignedPayment(props: { signed: Signed; onDone: () => void }) {
  const { signed } = props;
  const [mode, setMode] = useState<"choose" | "voucher" | "sent">("choose");
  const [payment, setPayment] = useState<Payment>();
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    if (!payment || payment.status === "confirmed" || payment.status === "failed") return;
    const timer = window.setTimeout(async () => {
      try {
        setPayment(await api.payment(payment.id));
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
      setPayment(created);
      setMode("sent");
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <Card title={t("collector.pay.signed", { amount: signed.amount, symbol: signed.symbol })}>
      <p class="hint">
        {t("collector.pay.to")} <code>{signed.authorization.to}</code>
      </p>
      {mode === "choose" && (
        <>
          <button type="button" onClick={send}>
            {t("collector.pay.sendNow")}
          </button>
          <button type="button" class="secondary" onClick={() => setMode("voucher")}>
            {t("collector.pay.showVoucher")}
          </button>
        </>
      )}
      {mode === "voucher" && (
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
      <button type="button" class="secondary" onClick={props.onDone}>
        {t("collector.pay.done")}
      </button>
    </Card>
  );
}
