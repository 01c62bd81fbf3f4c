import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Card, Problem } from "../ui/layout.js";
import { QrCode } from "../ui/qr-code.js";
import { Scanner } from "../ui/scanner.js";
import {
  addAccountSigner, createJoiningPasskey, joinedWallet, joiningPasskey, type JoiningPasskey, type PasskeyWallet, signerKeyOf,
} from "../wallet/passkey-wallet.js";

/** A passkey's key is 64 bytes: 128 hex digits after 0x. */
const KEY_PATTERN = /^0x[0-9a-fA-F]{128}$/;

/**
 * On the new phone: a passkey of its own, whose public key the first phone adds to its wallet. Nothing secret is
 * shown or sent; once added, the wallet is found by the key (the account's SignerAdded log).
 */
export function JoinPasskey(props: { onJoined: (wallet: PasskeyWallet) => void }) {
  const [joining, setJoining] = useState<JoiningPasskey | null>();
  const [busy, setBusy] = useState(false);
  const [notYet, setNotYet] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    joiningPasskey().then((found) => setJoining(found ?? null), () => setJoining(null));
  }, []);
  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const create = () => act(async () => setJoining(await createJoiningPasskey(t("wallet.passkey.userName"))));
  const look = (key: JoiningPasskey) =>
    act(async () => {
      const wallet = await joinedWallet(key);
      setNotYet(!wallet);
      if (wallet) props.onJoined(wallet);
    });
  return (
    <Card title={t("wallet.join.title")}>
      {!joining && (
        <>
          <p class="hint">{t("wallet.join.hint")}</p>
          <button type="button" class="secondary" disabled={busy || joining === undefined} onClick={create}>
            {t("wallet.join.create")}
          </button>
        </>
      )}
      {joining && (
        <>
          <p class="hint">{t("wallet.join.showKey")}</p>
          <QrCode text={signerKeyOf(joining)} label={t("wallet.join.key")} />
          <p class="scroll">
            <code data-testid="joining-key">{signerKeyOf(joining)}</code>
          </p>
          <button type="button" disabled={busy} onClick={() => look(joining)}>
            {t("wallet.join.look")}
          </button>
          {notYet && <p role="status">{t("wallet.join.notYet")}</p>}
        </>
      )}
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}

/** On the phone that has the wallet: the new phone's key, scanned or typed, added with this phone's screen lock. */
export function AddPhone(props: { wallet: PasskeyWallet }) {
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const add = async (text: string) => {
    setAdded(false);
    if (!KEY_PATTERN.test(text)) return setProblem(new Error(t("wallet.addPhone.badKey")));
    setBusy(true);
    setProblem(undefined);
    try {
      await addAccountSigner(props.wallet, text.toLowerCase());
      setAdded(true);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t("wallet.addPhone.title")}>
      <p class="hint">{t("wallet.addPhone.hint")}</p>
      {!busy && <Scanner label={t("wallet.addPhone.key")} placeholder="0x…" onCode={add} />}
      {busy && <p class="loading">{t("wallet.addPhone.adding")}</p>}
      {added && <p role="status">{t("wallet.addPhone.added")}</p>}
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}
