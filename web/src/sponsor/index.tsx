import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { t, type MessageKey } from "../i18n.js";
import type { NetworkInfo } from "../../../services/api/client/types.js";
import { loadNetwork } from "../network.js";
import { Card, Layout, Problem } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";
import { shortHash } from "../ui/status-steps.js";
import { ChainCheckCard } from "./chain-check-card.js";
import { downloadCsv } from "./csv.js";
import { type Report, sameFigures } from "./flows.js";
import { usePolling } from "../poll.js";
import { ReportTables } from "./report-tables.js";
import { FundFlowSankey } from "./sankey.js";
import { WeeklyKgChart } from "./weekly-chart.js";
import { reportWords, type ReportWords } from "./words.js";
import "./sponsor.css";

/** A report is read again this often while the page is open and visible. */
const REPORT_POLL_MS = 5_000;

/** The sponsor's face: where every unit of its money went, the plastic it bought, and the proof. */
export default function SponsorFace() {
  return (
    <Layout title={t("role.sponsor")}>
      <div class="sponsor">
        <MemberGate role="sponsor">{(key, signOut) => <FundFlowView memberKey={key} signOut={signOut} />}</MemberGate>
      </div>
    </Layout>
  );
}

function FundFlowView(props: { memberKey: string; signOut: () => void }) {
  const [data, setData] = useState<{ report: Report; network: NetworkInfo }>();
  const [problem, setProblem] = useState<unknown>();
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setProblem(undefined);
    Promise.all([api.fundFlow({}, { apiKey: props.memberKey, signal: abort.signal }), loadNetwork()])
      .then(([report, network]) => setData({ report, network }))
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        // A key the API no longer accepts: back to the sign-in.
        if (error instanceof ApiError && error.status === 401) props.signOut();
        else setProblem(error);
      });
    return () => abort.abort();
  }, [props.memberKey, loads]);
  // The report ends at the indexer's checkpoint, blocks behind a payout just confirmed: it is read again until
  // it catches up, and whenever something new happens, so the page never stays on a report that leaves it out.
  usePolling(data !== undefined && problem === undefined, async () => {
    if (document.visibilityState !== "visible" || !data) return;
    const report = await api.fundFlow({}, { apiKey: props.memberKey });
    if (!sameFigures(report, data.report)) setData({ report, network: data.network });
  }, REPORT_POLL_MS);

  const refresh = (
    <div class="row">
      <button type="button" class="secondary" onClick={() => setLoads(loads + 1)}>
        {t("sponsor.refresh")}
      </button>
      <button type="button" class="secondary" onClick={props.signOut}>
        {t("common.signOut")}
      </button>
    </div>
  );
  if (problem !== undefined) {
    return (
      <>
        <Problem error={problem} />
        {refresh}
      </>
    );
  }
  if (!data) return <p class="loading">{t("common.loading")}</p>;
  const { report, network } = data;
  const decimals = network.stablecoin.decimals;
  const words = reportWords(report, network.stablecoin.symbol, decimals);
  const totals: [MessageKey, string][] = [
    ["sponsor.totals.deposited", report.totals.deposited],
    ["sponsor.totals.paid", report.totals.paidToRetailers],
    ["sponsor.totals.fees", report.totals.fees],
    ["sponsor.totals.withdrawn", report.totals.withdrawn],
    ["sponsor.totals.left", report.totals.left],
  ];
  return (
    <>
      <Card>
        <ReportPeriod report={report} words={words} />
        <dl class="totals">
          {totals.map(([key, amount]) => (
            <div>
              <dt>{t(key)}</dt>
              <dd>{words.money(amount)}</dd>
            </div>
          ))}
        </dl>
        {report.programs.map((p) => {
          if (!p.solvency) return null;
          const owed = words.money(p.solvency.outstandingValue);
          const params = { program: words.programName(p.program), owed, left: words.money(p.solvency.depositsLeft) };
          return (
            <p class={p.solvency.solvent ? "solvency ok" : "solvency bad"} data-program={p.program}>
              {t(p.solvency.solvent ? "sponsor.solvency.ok" : "sponsor.solvency.bad", params)}
            </p>
          );
        })}
      </Card>
      {/* The proof first: a sponsor who doubts the figures need not scroll past them to check them. */}
      <ChainCheckCard network={network} report={report} />
      <Card title={t("sponsor.flow.title")}>
        <p class="hint">{t("sponsor.flow.hint")}</p>
        <FundFlowSankey report={report} decimals={decimals} words={words} />
      </Card>
      <Card title={t("sponsor.kg.title")}>
        <WeeklyKgChart report={report} />
      </Card>
      <Card title={t("sponsor.table.title")}>
        <ReportTables report={report} explorer={network.explorerUrl} words={words} />
        <CsvButton memberKey={props.memberKey} report={report} />
      </Card>
      {refresh}
    </>
  );
}

/** "Sponsor, 1 Dec 2026 – 3 Dec 2026"; one day once (a report of today); the sponsor alone if the node gave no times. */
function periodWords(sponsor: string, from: string, to: string) {
  if (!from || !to) return sponsor;
  return from === to ? t("sponsor.period.day", { sponsor, day: from }) : t("sponsor.period.dates", { sponsor, from, to });
}

/** The period in days; its blocks, and the sponsor's address, one tap away. */
function ReportPeriod(props: { report: Report; words: ReportWords }) {
  const { report, words } = props;
  const { from, to } = report.period;
  const sponsor = words.nameOf(report.sponsor) ?? shortHash(report.sponsor);
  return (
    <div class="period">
      <p class="period-dates">{periodWords(sponsor, words.day(from.at), words.day(to.at))}</p>
      <details class="muted">
        <summary>{t("sponsor.period.details")}</summary>
        <p>{t("sponsor.period", { from: from.blockNumber, to: to.blockNumber })}</p>
        <p>
          <code>{report.sponsor}</code>
        </p>
      </details>
    </div>
  );
}

function CsvButton(props: { memberKey: string; report: Report }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  return (
    <>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setProblem(undefined);
          try {
            await downloadCsv(props.memberKey, props.report);
          } catch (error) {
            setProblem(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t("sponsor.csv")}
      </button>
      {problem !== undefined && <Problem error={problem} />}
    </>
  );
}
