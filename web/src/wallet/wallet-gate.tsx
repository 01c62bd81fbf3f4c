import { signal } from "@preact/signals";
import type { HDNodeWallet } from "ethers";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { createWallet, forgetWallet, sealWallet, storedAddress, unsealWallet, walletFromPhrase, type WalletRole, WrongPin } from "./keystore.js";

/** Wallets unlocked in this page, by role: forgotten when the tab closes. */
const unlocked = signal<Partial<Record<WalletRole, HDNodeWallet>>>({});
const MIN_PIN = 6;

export function lockWallet(role: WalletRole) {
  const next = { ...unlocked.value };
  delete next[role];
  unlocked.value = next;
}

/**
 * The phone's wallet for a role: create one (and show its backup phrase), import one from a phrase, or
 * unlock the stored one with the PIN; then render the face with it. `otherChoice` comes first on a phone with
 * no wallet yet: the collector's passkey wallet.
 */
export function WalletGate(props: { role: WalletRole; otherChoice?: ComponentChildren; children: (wallet: HDNodeWallet) => ComponentChildren }) {
  const wallet = unlocked.value[props.role];
  const [stored, setStored] = useState<string | null>();
  const [fresh, setFresh] = useState<HDNodeWallet>();
  useEffect(() => {
    storedAddress(props.role).then((address) => setStored(address ?? null));
  }, [props.role, wallet]);

  const open = (opened: HDNodeWallet) => (unlocked.value = { ...unlocked.value, [props.role]: opened });
  if (fresh) return <BackupPhrase wallet={fresh} onDone={() => (open(fresh), setFresh(undefined))} />;
  if (wallet) return <>{props.children(wallet)}</>;
  if (stored === undefined) return <p class="loading">{t("common.loading")}</p>;
  if (stored) return <Unlock role={props.role} address={stored} onOpen={open} onForget={() => setStored(null)} />;
  return (
    <>
      {props.otherChoice}
      <NewWallet role={props.role} onCreated={setFresh} onImported={open} />
    </>
  );
}

function PinFields(props: { onPin: (pin: string | undefined) => void }) {
  const [pin, setPin] = useState("");
  const [again, setAgain] = useState("");
  const problem = pin.length > 0 && pin.length < MIN_PIN ? t("wallet.pin.short") : again.length > 0 && again !== pin ? t("wallet.pin.mismatch") : undefined;
  useEffect(() => props.onPin(pin.length >= MIN_PIN && pin === again ? pin : undefined), [pin, again]);
  const digits = { type: "password", inputMode: "numeric", autocomplete: "new-password", pattern: "[0-9]*" } as const;
  return (
    <>
      <label>
        {t("wallet.pin")}
        <input {...digits} value={pin} onInput={(e) => setPin((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        {t("wallet.pin.repeat")}
        <input {...digits} value={again} onInput={(e) => setAgain((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {problem && <p class="problem">{problem}</p>}
    </>
  );
}

function NewWallet(props: { role: WalletRole; onCreated: (wallet: HDNodeWallet) => void; onImported: (wallet: HDNodeWallet) => void }) {
  // A shop's address is registered by the network before its phone is set up: it imports that wallet's phrase.
  const shop = props.role === "retailer";
  const [importing, setImporting] = useState(shop);
  const [phrase, setPhrase] = useState("");
  const [pin, setPin] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pin) return;
    setBusy(true);
    try {
      let wallet: HDNodeWallet;
      try {
        wallet = importing ? walletFromPhrase(phrase) : createWallet();
      } catch {
        throw new Error(t("wallet.phrase.invalid"));
      }
      await sealWallet(props.role, wallet, pin);
      (importing ? props.onImported : props.onCreated)(wallet);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={importing ? t(shop ? "wallet.import.shop" : "wallet.import") : t("wallet.create")}>
      <form onSubmit={submit}>
        {importing && (
          <label>
            {t("wallet.phrase.input")}
            <textarea autocapitalize="off" autocomplete="off" spellcheck={false} value={phrase} onInput={(e) => setPhrase((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
        )}
        <PinFields onPin={setPin} />
        {problem && <p class="problem">{problem}</p>}
        <button type="submit" disabled={!pin || busy || (importing && phrase.trim() === "")}>
          {importing ? t("wallet.import.submit") : t("wallet.create")}
        </button>
      </form>
      <button type="button" class="secondary" onClick={() => (setImporting(!importing), setProblem(undefined))}>
        {importing ? t("wallet.create") : t(shop ? "wallet.import.shop" : "wallet.import")}
      </button>
    </Card>
  );
}

/** Two different word positions (0-based) of the twelve, picked at random: the ones asked back. */
function twoPositions(): [number, number] {
  const first = Math.floor(Math.random() * 12);
  const second = (first + 1 + Math.floor(Math.random() * 11)) % 12;
  return first < second ? [first, second] : [second, first];
}

/**
 * The new wallet's twelve words, then two of them asked back: the screen cannot be left on a promise to have
 * written them down, since without them a lost phone is lost tokens.
 */
export function BackupPhrase(props: { wallet: HDNodeWallet; onDone: () => void }) {
  const words = props.wallet.mnemonic!.phrase.split(" ");
  const [asked] = useState(twoPositions);
  const [checking, setChecking] = useState(false);
  const [answers, setAnswers] = useState(["", ""]);
  const right = asked.every((position, i) => answers[i]!.trim().toLowerCase() === words[position]);
  const tried = answers.every((answer) => answer.trim() !== "");
  if (checking) {
    return (
      <Card title={t("wallet.phrase.check")}>
        <p class="hint">{t("wallet.phrase.check.hint")}</p>
        <form onSubmit={(event) => (event.preventDefault(), right && props.onDone())}>
          {asked.map((position, i) => (
            <label>
              {t("wallet.phrase.word", { n: position + 1 })}
              <input
                autocapitalize="off"
                autocomplete="off"
                spellcheck={false}
                value={answers[i]}
                onInput={(e) => setAnswers(answers.map((a, j) => (j === i ? (e.currentTarget as HTMLInputElement).value : a)))}
              />
            </label>
          ))}
          {tried && !right && <p class="problem">{t("wallet.phrase.check.wrong")}</p>}
          <button type="submit" disabled={!right}>
            {t("wallet.phrase.check.done")}
          </button>
        </form>
        <button type="button" class="secondary" onClick={() => (setChecking(false), setAnswers(["", ""]))}>
          {t("wallet.phrase.check.again")}
        </button>
      </Card>
    );
  }
  return (
    <Card title={t("wallet.phrase.title")}>
      <p class="hint">{t("wallet.phrase.hint")}</p>
      <ol class="phrase" aria-label={t("wallet.phrase.title")}>
        {words.map((word) => (
          <li>{word}</li>
        ))}
      </ol>
      <button type="button" onClick={() => setChecking(true)}>
        {t("wallet.phrase.done")}
      </button>
    </Card>
  );
}

function Unlock(props: { role: WalletRole; address: string; onOpen: (wallet: HDNodeWallet) => void; onForget: () => void }) {
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Card>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            props.onOpen(await unsealWallet(props.role, pin));
          } catch (error) {
            setProblem(error instanceof WrongPin ? t("wallet.unlock.wrong") : String(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        <p>
          <code>{props.address}</code>
        </p>
        <label>
          PIN
          <input type="password" inputMode="numeric" autocomplete="current-password" value={pin} onInput={(e) => setPin((e.currentTarget as HTMLInputElement).value)} />
        </label>
        {problem && <p class="problem">{problem}</p>}
        <button type="submit" disabled={busy || pin === ""}>
          {t("wallet.unlock")}
        </button>
      </form>
      <button
        type="button"
        class="danger"
        onClick={async () => {
          if (!confirm(t("wallet.forget.confirm"))) return;
          await forgetWallet(props.role);
          props.onForget();
        }}
      >
        {t("wallet.forget")}
      </button>
    </Card>
  );
}
