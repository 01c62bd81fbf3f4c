import { currency } from "../ui/currency.js";
import { type HDNodeWallet, parseUnits } from "ethers";
import { useEffect, useState } from "preact/hooks";
import type { NetworkInfo, Redemption, RedemptionBody, RetailerOverview } from "../../../services/api/client/types.js";
import { PERMIT_TYPES } from "../../../services/chain/eip2612.js";
import { api, ApiError, idempotencyKey } from "../api.js";
import { language, t } from "../i18n.js";
import { formatAmount, formatMoney } from "../ui/format.js";
import { chainNow, loadNetwork } from "../network.js";
import { usePolling } from "../poll.js";
import { Card, Problem } from "../ui/layout.js";
import { isFinal, shortHash, StatusSteps } from "../ui/status-steps.js";
import { payoutFigures } from "./payout-figures.js";

/**
 * One redemption as the shop asked for it: its Idempotency-Key and its signed permit, made when Redeem is
 * pressed and kept until an answer arrives. A tap after a lost answer sends the same request again (not a
 * new signature at the same nonce), and the API answers with the redemption the first one made.
 */
interface Attempt {
  key: string;
  programId: number;
  amount: string;
  body: RedemptionBody;
}

const PERMIT_LIFETIME_S = 3600;
const AMOUNT = /^(0|[1-9][0-9]{0,59})(\.[0-9]{1,18})?$/;

/**
 * Trade tokens for the sponsors' stablecoin: the page signs an EIP-2612 permit to the vault with the shop's
 * wallet (valid an hour), the API relays it, and the payout is watched until the vault has paid it.
 */
export function Redeem(props: { memberKey: string; wallet: HDNodeWallet; overview: RetailerOverview; onSettled: () => void }) {
  const held = props.overview.balances.filter((b) => b.balance !== "0");
  const [network, setNetwork] = useState<NetworkInfo>();
  const [programId, setProgramId] = useState<number | undefined>(held[0]?.programId);
  const [amount, setAmount] = useState("");
  const [step, setStep] = useState<"idle" | "signing" | "sending">("idle");
  const [problem, setProblem] = useState<unknown>();
  const [redemption, setRedemption] = useState<Redemption>();
  const [attempt, setAttempt] = useState<Attempt>();
  useEffect(() => void loadNetwork().then(setNetwork, setProblem), []);

  usePolling(!!redemption && !isFinal(redemption.status), async () => {
    const next = await api.redemption(redemption!.id, { apiKey: props.memberKey });
    setRedemption(next);
    if (isFinal(next.status)) props.onSettled();
  });

  const balance = held.find((b) => b.programId === programId);
  const program = network?.programs.find((p) => p.id === programId);
  const valid = AMOUNT.test(amount) && !!balance && parseUnits(amount, 18) > 0n && parseUnits(amount, 18) <= parseUnits(balance.balance, 18);
  const gross = valid && program ? estimate(amount, program.redemptionRate) : undefined;
  // The balance may already show a lost answer's redemption as paid: its retry is allowed all the same.
  const retry = attempt !== undefined && attempt.programId === programId && attempt.amount === amount ? attempt : undefined;

  const redeem = async (event: Event) => {
    event.preventDefault();
    if ((!valid && !retry) || programId === undefined) return;
    setProblem(undefined);
    setRedemption(undefined);
    try {
      const sent = retry ?? (await sign(programId));
      setStep("sending");
      const accepted = await api.createRedemption(sent.body, { apiKey: props.memberKey, idempotencyKey: sent.key });
      setAttempt(undefined);
      setRedemption(accepted);
      setAmount("");
      props.onSettled();
    } catch (error) {
      // No answer: the redemption may be stored; the attempt is kept so that Redeem again sends it unchanged.
      const lost = error instanceof ApiError && error.status === 0;
      if (!lost) setAttempt(undefined);
      setProblem(lost ? new ApiError(0, error.code, t("retailer.redeem.lost")) : error);
    } finally {
      setStep("idle");
    }
  };

  /** A new attempt: the permit for the token's next nonce, signed by the shop's wallet, and a fresh key. */
  const sign = async (programId: number): Promise<Attempt> => {
    setAttempt(undefined);
    setStep("signing");
    const params = await api.permitParams(programId, { apiKey: props.memberKey });
    if (params.owner.toLowerCase() !== props.wallet.address.toLowerCase()) {
      throw new ApiError(409, "RC_WRONG_WALLET", t("retailer.wrongWallet.explain"));
    }
    // The vault compares the deadline with the block's time: counted from the chain's clock where the phone's is behind.
    const deadline = (await chainNow(await loadNetwork())) + PERMIT_LIFETIME_S;
    const signature = await props.wallet.signTypedData(params.domain, PERMIT_TYPES, {
      owner: params.owner,
      spender: params.spender,
      value: parseUnits(amount, 18),
      nonce: BigInt(params.nonce),
      deadline: BigInt(deadline),
    });
    const next: Attempt = { key: idempotencyKey(), programId, amount, body: { programId, amount, permit: { deadline, signature } } };
    setAttempt(next);
    return next;
  };

  return (
    <>
      <Card title={t("retailer.redeem")}>
        {held.length === 0 ? (
          <p class="muted">{t("retailer.redeem.nothing")}</p>
        ) : (
          <form onSubmit={redeem}>
            <label>
              {t("retailer.redeem.program")}
              <select value={programId} onChange={(e) => (setProgramId(Number((e.currentTarget as HTMLSelectElement).value)), setAmount(""))}>
                {held.map((b) => (
                  <option value={b.programId}>
                    {b.name} — {formatMoney(b.balance, b.symbol, 18, language.value)}
                  </option>
                ))}
              </select>
            </label>
            <div class="amount-row">
              <label>
                {t("retailer.redeem.amount", { symbol: balance?.symbol ?? "" })}
                <input
                  type="text"
                  inputMode="decimal"
                  autocomplete="off"
                  value={amount}
                  onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value.replace(",", ".").replace(/[^0-9.]/g, ""))}
                />
              </label>
              <button type="button" class="secondary" onClick={() => balance && setAmount(balance.balance)}>
                {t("retailer.redeem.all")}
              </button>
            </div>
            {amount !== "" && !valid && !retry && <p class="problem">{t("retailer.redeem.invalid", { balance: formatAmount(balance?.balance ?? "0", 18, language.value) })}</p>}
            {gross && <p class="muted">{t("retailer.redeem.estimate", { gross: formatAmount(gross, 6, language.value), currency: currency.value })}</p>}
            <p class="hint">{t("retailer.redeem.hint")}</p>
            {problem !== undefined && <Problem error={problem} />}
            <button type="submit" disabled={(!valid && !retry) || step !== "idle"}>
              {step === "signing" ? t("retailer.redeem.signing") : step === "sending" ? t("retailer.redeem.sending") : t("retailer.redeem.submit")}
            </button>
          </form>
        )}
      </Card>
      {redemption && <Payout redemption={redemption} symbol={held.find((b) => b.programId === redemption.programId)?.symbol ?? ""} />}
    </>
  );
}

/** A redemption as it settles: the tokens, the steps, then gross, fee, net and the deposits that paid it. */
export function Payout(props: { redemption: Redemption; symbol: string }) {
  const r = props.redemption;
  const figures = payoutFigures(r, currency.value, language.value);
  return (
    <Card title={t("retailer.payout", { id: r.id })}>
      <p>{t("retailer.payout.tokens", { amount: formatAmount(r.tokens, 18, language.value), symbol: props.symbol })}</p>
      <StatusSteps status={r.status} blockNumber={r.blockNumber} txHash={r.txHash} reason={r.failureReason} />
      {figures && (
        <dl class="figures" aria-label={t("retailer.payout.figures")}>
          <dt>{t("retailer.payout.gross")}</dt>
          <dd>{figures.gross}</dd>
          <dt>{t("retailer.payout.fee")}</dt>
          <dd>{figures.fee}</dd>
          <dt>{t("retailer.payout.net")}</dt>
          <dd class="amount-in">{figures.net}</dd>
        </dl>
      )}
      {r.draws && r.draws.length > 0 && (
        <>
          <h3>{t("retailer.payout.draws")}</h3>
          <ul class="list" aria-label={t("retailer.payout.draws")}>
            {r.draws.map((d) => (
              <li class="line">
                <span>
                  {t("retailer.payout.deposit", { id: d.depositId })} <code title={d.sponsor}>{shortHash(d.sponsor)}</code>
                </span>
                <span>{formatMoney(d.amount, currency.value, 18, language.value)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** tokens × rate as a decimal string, exactly (bigint), to 6 places: what the vault pays before its fee. */
function estimate(amount: string, rate: string): string {
  const product = parseUnits(amount, 18) * parseUnits(rate, 18);
  const micro = product / 10n ** 30n;
  const whole = micro / 1_000_000n;
  const fraction = (micro % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}
