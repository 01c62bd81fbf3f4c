import { type HDNodeWallet, Wallet } from "ethers";
import { useState } from "preact/hooks";
import { keySigner } from "../../../services/core/account-signers.js";
import { t } from "../i18n.js";
import { Card, Problem } from "../ui/layout.js";
import { addAccountSigner, NoWalletForPhrase, type PasskeyWallet, recoverWithPhrase } from "../wallet/passkey-wallet.js";
import { BackupPhrase } from "../wallet/wallet-gate.js";

/**
 * A recovery phrase as a further signer: twelve words made on this phone, written down, two asked back, and only
 * the phrase's address added to the account (with the screen lock). The words are kept nowhere but on paper.
 */
export function AddRecoveryPhrase(props: { wallet: PasskeyWallet }) {
  const [phrase, setPhrase] = useState<HDNodeWallet>();
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const add = async (recovery: HDNodeWallet) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await addAccountSigner(props.wallet, keySigner(recovery.address));
      setPhrase(undefined);
      setAdded(true);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  if (phrase && !busy && problem === undefined) return <BackupPhrase wallet={phrase} onDone={() => add(phrase)} />;
  return (
    <Card title={t("wallet.recovery.title")}>
      <p class="hint">{t("wallet.recovery.hint")}</p>
      {busy && <p class="loading">{t("wallet.recovery.adding")}</p>}
      {!busy && (
        <button type="button" class="secondary" onClick={() => (setAdded(false), setProblem(undefined), setPhrase(Wallet.createRandom()))}>
          {t("wallet.recovery.create")}
        </button>
      )}
      {added && <p role="status">{t("wallet.recovery.added")}</p>}
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}

/** On a new phone, every other phone lost: the recovery phrase adds a passkey made here to the wallet. */
export function RecoverWithPhrase(props: { onRecovered: (wallet: PasskeyWallet) => void }) {
  const [words, setWords] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const recover = async (event: Event) => {
    event.preventDefault();
    let recovery: HDNodeWallet;
    try {
      recovery = Wallet.fromPhrase(words.trim().toLowerCase().split(/\s+/).join(" "));
    } catch {
      return setProblem(new Error(t("wallet.phrase.invalid")));
    }
    setBusy(true);
    setProblem(undefined);
    try {
      props.onRecovered(await recoverWithPhrase(recovery, t("wallet.passkey.userName")));
    } catch (error) {
      setProblem(error instanceof NoWalletForPhrase ? new Error(t("wallet.recover.none")) : error);
      setBusy(false);
    }
  };
  return (
    <Card title={t("wallet.recover.title")}>
      <p class="hint">{t("wallet.recover.hint")}</p>
      <form onSubmit={recover}>
        <label>
          {t("wallet.recover.words")}
          <textarea rows={3} autocapitalize="off" autocomplete="off" spellcheck={false} value={words} onInput={(e) => setWords((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit" class="secondary" disabled={busy || words.trim() === ""}>
          {t("wallet.recover.submit")}
        </button>
      </form>
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}
