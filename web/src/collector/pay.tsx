import { parseUnits } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import { taggedSigner } from "../../../services/core/account-signers.js";
import { encodeVoucher, type Voucher } from "../../../services/core/voucher.js";
import { language, t } from "../i18n.js";
import { loadNetwork, tokenDomain } from "../network.js";
import { addressIn, formatAmount, shortAddress } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { Scanner } from "../ui/scanner.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";
import { keep, keptVouchers, loadKept, type Signed } from "./kept-vouchers.js";
import { takeNonce } from "./nonces.js";
import { type ShopName, useShopName } from "./shop-name.js";
import { SignedPayment } from "./signed-payment.js";
import { releaseSpent } from "./spent-vouchers.js";
import { useLedger } from "./use-ledger.js";

/** A voucher stays valid a week: long enough for a shop with a patchy connection to submit it. */
const VOUCHER_VALID_S = 7 * 24 * 3600;

/**
 * Pay a shop: its code, the program and an amount, then "Pay 2 OCD1 to Warung Bu Tini?" with the shop's name;
 * the phone signs an EIP-3009 authorization (no gas, no connection needed to sign), keeps it, and sends it now
 * or shows it as an offline voucher for the shop to submit.
 */
export function Pay(props: { wallet: CollectorSigner }) {
  const { ledger } = useLedger(props.wallet);
  const [payee, setPayee] = useState<string>();
  const shop = useShopName(payee);
  const [programId, setProgramId] = useState<number>();
  const [amount, setAmount] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [open, setOpen] = useState<{ signed: Signed; voucher: boolean }>();
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => loadKept(props.wallet.address), [props.wallet.address]);
  // Each new ledger read may follow a voucher the shop submitted: let go of those the chain has used.
  useEffect(() => void releaseSpent(props.wallet.address).catch(() => undefined), [props.wallet.address, ledger?.history.length]);
  const funded = ledger?.balances.filter((b) => b.balance !== "0") ?? [];
  const program = funded.find((b) => b.programId === programId) ?? funded[0];
  const shopName = payee && (shop.state === "named" ? shop.name : shortAddress(payee));

  if (open) {
    const done = () => (setOpen(undefined), setAmount(""), setPayee(undefined), setConfirming(false));
    return <SignedPayment wallet={props.wallet} signed={open.signed} showVoucher={open.voucher} onDone={done} />;
  }

  const sign = async () => {
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
      const signature = await props.wallet.signTypedData(tokenDomain(network, publicProgram), TRANSFER_WITH_AUTHORIZATION_TYPES, authorization);
      const signed: Signed = {
        programId: program.programId,
        symbol: program.symbol,
        amount,
        payeeName: shopName!,
        authorization: { ...authorization, value: amount },
        signature,
        // The same one signature, online or as a voucher: a key's (v1), or a passkey's assertion (v2, its challenge left out).
        ...voucherOf({ ...authorization, programId: program.programId, signature }),
      };
      // Kept before anything else can happen to it: sent or not, the signature is not lost with the screen.
      keep(props.wallet.address, signed);
      setOpen({ signed, voucher: false });
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
      setConfirming(false);
    }
  };

  return (
    <>
      <KeptVouchers onOpen={(signed) => setOpen({ signed, voucher: true })} />
      {confirming && payee && program ? (
        <Card title={t("collector.pay.confirm", { amount: formatAmount(amount, 18, language.value), symbol: program.symbol, shop: shopName! })}>
          <PayeeLine address={payee} shop={shop} />
          <button type="button" onClick={sign}>
            {t("collector.pay.confirm.yes")}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {t("common.back")}
          </button>
        </Card>
      ) : (
        <Card title={t("collector.pay")}>
          {!payee ? (
            <Scanner label={t("collector.pay.retailerCode")} placeholder="0x…" onCode={(text) => (addressIn(text) ? (setPayee(addressIn(text)), setProblem(undefined)) : setProblem(new Error(t("collector.pay.badCode"))))} />
          ) : (
            <form onSubmit={(event) => (event.preventDefault(), setConfirming(true))}>
              <p>
                {t("collector.pay.to")} <strong data-testid="payee-name">{shopName}</strong>{" "}
                <button type="button" class="secondary" style={{ width: "auto" }} onClick={() => setPayee(undefined)}>
                  {t("common.back")}
                </button>
              </p>
              <PayeeLine address={payee} shop={shop} />
              {funded.length > 1 && (
                <label>
                  {t("collector.pay.program")}
                  <select value={program?.programId} onChange={(e) => setProgramId(Number((e.currentTarget as HTMLSelectElement).value))}>
                    {funded.map((b) => (
                      <option value={b.programId}>
                        {b.symbol} · {formatAmount(b.balance, 2, language.value)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                {t("collector.pay.amount", { symbol: program?.symbol ?? "" })}
                <input inputMode="decimal" autocomplete="off" value={amount} onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value.replace(",", "."))} />
              </label>
              {program && <p class="hint">{t("collector.pay.available", { amount: formatAmount(program.balance, 2, language.value), symbol: program.symbol })}</p>}
              {!program && ledger && <p class="problem">{t("collector.balances.none")}</p>}
              <button type="submit" disabled={!program || shop.state === "unknown" || shop.state === "loading" || !/^\d+(\.\d{1,18})?$/.test(amount)}>
                {t("collector.pay.next")}
              </button>
            </form>
          )}
          {problem !== undefined && <Problem error={problem} />}
        </Card>
      )}
    </>
  );
}

/** What the phone knows of the payee, with its address one tap away. */
function PayeeLine(props: { address: string; shop: ShopName }) {
  return (
    <>
      {props.shop.state === "unknown" && <p class="problem">{t("collector.pay.notAShop")}</p>}
      {props.shop.state === "unchecked" && <p class="hint">{t("collector.pay.unchecked")}</p>}
      <details>
        <summary>{t("collector.pay.shopAddress")}</summary>
        <code>{props.address}</code>
      </details>
    </>
  );
}

/**
 * The voucher of a signed payment, or none when its signature cannot be one (an authenticator whose client data puts
 * no plain challenge where a voucher's reader would put it back): the payment is then kept and sent online.
 */
function voucherOf(voucher: Voucher): { voucher?: string } {
  // An added passkey's signature names its key (tagged): a v2 voucher carries the account's first passkey's
  // assertion only, and its reader finds the account from the key. Such a wallet pays online.
  if (taggedSigner(voucher.signature)) return {};
  try {
    return { voucher: encodeVoucher(voucher) };
  } catch {
    return {};
  }
}

/** Signed payments the API has not accepted yet, each one tap from its voucher. */
function KeptVouchers(props: { onOpen: (signed: Signed) => void }) {
  if (keptVouchers.value.length === 0) return null;
  return (
    <Card title={t("collector.pay.kept")}>
      <p class="hint">{t("collector.pay.kept.hint")}</p>
      <ul class="list" aria-label={t("collector.pay.kept")}>
        {keptVouchers.value.map((signed) => (
          <li class="row">
            <span>{t("collector.pay.kept.line", { amount: formatAmount(signed.amount, 18, language.value), symbol: signed.symbol, shop: signed.payeeName })}</span>
            <button type="button" class="secondary" style={{ width: "auto", flex: "none" }} onClick={() => props.onOpen(signed)}>
              {t("collector.pay.kept.show")}
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
