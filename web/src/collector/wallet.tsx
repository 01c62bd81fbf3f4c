import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { loadNetwork } from "../network.js";
import { Card, Problem } from "../ui/layout.js";
import { type CollectorSigner, phraseSigner } from "../wallet/collector-signer.js";
import { createPasskeyWallet, passkeySigner, type PasskeyWallet, storedPasskeyWallet } from "../wallet/passkey-wallet.js";
import { lockWallet, WalletGate } from "../wallet/wallet-gate.js";
import { passkeyAvailable } from "../wallet/webauthn.js";
import { JoinPasskey } from "./other-phone.js";
import { RecoverWithPhrase } from "./recovery-phrase.js";
import { signIn } from "./session.js";

/** The passkey wallet opened in this page, and when its session ends: forgotten when the tab closes. */
const openPasskey = signal<{ wallet: PasskeyWallet; sessionEnds: number } | undefined>(undefined);
/** session.ts counts a token a minute short of its end as ended: the wallet closes earlier, before any read signs in. */
const SESSION_MARGIN_MS = 90_000;

export function lockCollectorWallet() {
  lockWallet("collector");
  openPasskey.value = undefined;
}

/** A passkey wallet is offered where the phone has a screen lock to hold it and the network a factory to make it. */
async function passkeyOffered(): Promise<boolean> {
  try {
    return (await passkeyAvailable()) && (await loadNetwork()).contracts.collectorAccounts !== null;
  } catch {
    return false;
  }
}

/**
 * The collector's wallet, of either kind: the passkey wallet this phone holds, or else the phrase wallet (created,
 * imported or unlocked with its PIN), with the passkey wallet offered first where the phone can hold one.
 */
export function CollectorWallet(props: { children: (signer: CollectorSigner) => ComponentChildren }) {
  const [stored, setStored] = useState<PasskeyWallet | null>();
  const [offered, setOffered] = useState(false);
  useEffect(() => {
    storedPasskeyWallet().then((wallet) => setStored(wallet ?? null), () => setStored(null));
    passkeyOffered().then(setOffered);
  }, []);
  const open = openPasskey.value;
  // A new session is a screen-lock prompt: rather than one popping up from a background read, the wallet closes
  // when its session ends and opens again with a tap.
  useEffect(() => {
    if (!open) return;
    const timer = window.setTimeout(lockCollectorWallet, Math.max(0, open.sessionEnds - SESSION_MARGIN_MS - Date.now()));
    return () => window.clearTimeout(timer);
  }, [open]);
  if (open) return <>{props.children(passkeySigner(open.wallet))}</>;
  if (stored === undefined) return <p class="loading">{t("common.loading")}</p>;
  if (stored) return <OpenPasskey wallet={stored} onOpen={(sessionEnds) => (openPasskey.value = { wallet: stored, sessionEnds })} />;
  return (
    <WalletGate
      role="collector"
      otherChoice={
        offered && (
          <>
            <CreatePasskey onCreated={setStored} />
            <JoinPasskey onJoined={setStored} />
            <RecoverWithPhrase onRecovered={setStored} />
          </>
        )
      }
    >
      {(wallet) => props.children(phraseSigner(wallet))}
    </WalletGate>
  );
}

/** What losing the phone means, said before anything is made; then the phone's own passkey prompt. */
function CreatePasskey(props: { onCreated: (wallet: PasskeyWallet) => void }) {
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const create = async () => {
    setBusy(true);
    try {
      props.onCreated(await createPasskeyWallet(t("wallet.passkey.userName")));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Card title={t("wallet.passkey.title")}>
        <p class="hint">{t("wallet.passkey.hint")}</p>
        <p>
          <strong>{t("wallet.passkey.warning")}</strong>
        </p>
        <label class="check">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood((e.currentTarget as HTMLInputElement).checked)} />
          {t("wallet.passkey.understood")}
        </label>
        <button type="button" disabled={!understood || busy} onClick={create}>
          {t("wallet.passkey.create")}
        </button>
        {problem !== undefined && <Problem error={problem} />}
      </Card>
      <p class="hint">{t("wallet.passkey.or")}</p>
    </>
  );
}

/** Opening is signing in: the screen lock asserts the login, so what the wallet shows next is read with a session. */
function OpenPasskey(props: { wallet: PasskeyWallet; onOpen: (sessionEnds: number) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const open = async () => {
    setBusy(true);
    try {
      props.onOpen(await signIn(passkeySigner(props.wallet)));
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };
  return (
    <Card title={t("wallet.passkey.ready")}>
      <p class="hint">{t("wallet.passkey.openHint")}</p>
      <p>
        <code>{props.wallet.address}</code>
      </p>
      <button type="button" disabled={busy} onClick={open}>
        {t("wallet.passkey.open")}
      </button>
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}
