import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../i18n.js";
import { loadNetwork } from "../network.js";

export type Progress = "pending" | "submitted" | "included" | "confirmed" | "held" | "rejected" | "failed" | "escrowed";

/** A chain write that will not move again. */
export const isFinal = (status: string) => status === "confirmed" || status === "failed" || status === "rejected";

const STEPS = ["pending", "submitted", "confirmed"] as const;

/**
 * Where a chain write stands, in a word people read: pending → submitted → confirmed, or the state it stopped in.
 * A credit in a block but not yet deep enough is honest about it: the second step then reads "in a block,
 * confirming". `role="status"` holds the words only, so a screen reader hears them change; the block, the
 * transaction and the raw reason (a code, a revert's text) are one tap away in a details line beside it, for
 * whoever checks against the chain. `note` is already in the person's words (why it is held, an admin's reason)
 * and stays in sight.
 */
export function StatusSteps(props: { status: Progress; blockNumber?: number | null; txHash?: string | null; reason?: string | null; note?: string | null }) {
  const step = props.status === "included" ? "submitted" : props.status;
  const reached = STEPS.indexOf(step as (typeof STEPS)[number]);
  const off = reached === -1;
  const details = props.blockNumber != null || Boolean(props.txHash) || Boolean(props.reason);
  return (
    <div class="status-line">
      <div class={`status status-${props.status}`} role="status" data-status={props.status}>
        {off ? (
          <span class="status-off">{t(`status.${props.status}` as MessageKey)}</span>
        ) : (
          <ol class="steps">
            {STEPS.map((stepName, index) => (
              <li class={index <= reached ? "done" : ""} aria-current={index === reached ? "step" : undefined}>
                {t(`status.${index === reached ? props.status : stepName}` as MessageKey)}
              </li>
            ))}
          </ol>
        )}
        {props.note && <span class="status-reason">{props.note}</span>}
      </div>
      {details && (
        <details class="status-details">
          <summary>{t("common.details")}</summary>
          <span class="status-facts">
            {[
              props.blockNumber != null && <span class="status-block">{t("status.block", { block: props.blockNumber })}</span>,
              props.txHash && <TxHash hash={props.txHash} />,
              props.reason && <code class="status-reason">{props.reason}</code>,
            ].filter(Boolean).flatMap((fact, index) => (index === 0 ? [fact] : [" · ", fact]))}
          </span>
        </details>
      )}
    </div>
  );
}

/** 0x1234…abcd: enough to tell two apart at a glance, the whole value in the title. */
export const shortHash = (hash: string) => `${hash.slice(0, 6)}…${hash.slice(-4)}`;

/** A transaction's hash, linked to the chain's explorer when the network names one. */
export function TxHash(props: { hash: string }) {
  const [explorer, setExplorer] = useState<string | null>(null);
  useEffect(() => {
    loadNetwork().then((network) => setExplorer(network.explorerUrl), () => undefined);
  }, []);
  const code = (
    <code class="status-tx" title={props.hash}>
      {shortHash(props.hash)}
    </code>
  );
  return explorer ? (
    <a href={`${explorer}/tx/${props.hash}`} target="_blank" rel="noopener noreferrer" aria-label={t("status.tx")}>
      {code}
    </a>
  ) : (
    code
  );
}
