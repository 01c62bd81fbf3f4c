import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { NetworkInfo } from "../../../services/api/client/types.js";
import { Card, Problem } from "../ui/layout.js";
import type { Report } from "./flows.js";

type Outcome = Awaited<ReturnType<typeof import("./chain-check.js").checkOnChain>>;

/** "Re-check against the chain": the browser reads the vault's logs itself and lists any difference. */
export function ChainCheckCard(props: { network: NetworkInfo; report: Report }) {
  const { network, report } = props;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ for: Report; result: Outcome }>();
  const [problem, setProblem] = useState<unknown>();
  // A refreshed report has not been checked yet: an old verdict is not shown under it.
  const result = outcome?.for === report ? outcome.result : undefined;
  return (
    <Card title={t("sponsor.check.title")} class="chain-check">
      <p class="hint">{t("sponsor.check.hint", { rpc: network.rpcUrl })}</p>
      <p class="hint">
        {t("sponsor.check.vault", { chainId: network.chainId })} <code>{network.contracts.vault}</code>
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setProblem(undefined);
          try {
            const { checkOnChain } = await import("./chain-check.js");
            setOutcome({ for: report, result: await checkOnChain(network, report) });
          } catch (error) {
            setProblem(new Error(t("sponsor.check.failed", { message: error instanceof Error ? error.message : String(error) })));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t("sponsor.check.running") : t("sponsor.check.button")}
      </button>
      {problem !== undefined && <Problem error={problem} />}
      {result && result.differences.length === 0 && result.counts && (
        <p class="verdict ok" role="status">
          ✓ {t("sponsor.check.ok", result.counts)}
        </p>
      )}
      {result && result.differences.length > 0 && (
        <div class="verdict bad" role="alert">
          <p>✗ {t("sponsor.check.differences", { count: result.differences.length })}</p>
          <ul class="differences">
            {result.differences.map((d) => (
              <li>
                <code>{d}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p class="hint independent">{t("sponsor.check.independent")}</p>
    </Card>
  );
}
