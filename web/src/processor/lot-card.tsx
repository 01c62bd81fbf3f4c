import { useState } from "preact/hooks";
import type { Lot, LotProof } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { formatAmount, formatCount } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { shortHash } from "../ui/status-steps.js";
import { materialName } from "../ui/material.js";
import { useAction } from "../ui/use-action.js";

/** A lot just formed: certify it on chain, then show its certificate and any drop-off's proof against it. */
export function LotCard(props: { memberKey: string; lot: Lot; onChange: (lot: Lot) => void }) {
  const { lot } = props;
  const { busy, problem, setProblem, run } = useAction();
  const [proof, setProof] = useState<LotProof>();
  const confirm = () => run(async () => props.onChange(await api.confirmLot(lot.id, { apiKey: props.memberKey })));
  return (
    <Card title={t("processor.lot", { id: lot.id })}>
      <p data-lot-status={lot.status}>{t("processor.lotSummary", { count: formatCount(lot.collectionIds.length, language.value), kg: formatAmount(lot.kg, 3, language.value), material: materialName(lot.material) })}</p>
      {lot.status === "open" && (
        <button type="button" disabled={busy} onClick={() => void confirm()}>
          {t("processor.certify")}
        </button>
      )}
      {lot.status === "confirmed" && (
        <dl class="certificate">
          <dt>{t("processor.root")}</dt>
          <dd class="secret">{lot.merkleRoot}</dd>
          <dt>{t("status.tx")}</dt>
          <dd data-tx={lot.txHash}>
            {shortHash(lot.txHash ?? "")} · {t("status.block", { block: lot.blockNumber ?? "" })}
          </dd>
        </dl>
      )}
      {lot.status === "confirmed" && (
        <ul aria-label={t("processor.proofs")}>
          {lot.collectionIds.map((id) => (
            <li>
              <button type="button" class="secondary" onClick={() => void api.lotProof(lot.id, id).then(setProof, setProblem)}>
                {t("processor.proofOf", { id })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {proof && (
        <p role="status" data-proof={proof.eventId}>
          {t("processor.proof", { id: proof.eventId, steps: proof.proof.length, root: shortHash(proof.root) })}
        </p>
      )}
      {problem !== undefined && <Problem error={problem} />}
    </Card>
  );
}
