import { useMemo } from "preact/hooks";
import { language, t } from "../i18n.js";
import { shortHash } from "../ui/status-steps.js";
import { fundFlowSankey, type Report } from "./flows.js";
import { layoutSankey } from "./sankey-layout.js";
import type { ReportWords } from "./words.js";

/** Band colours by where the money went: retailers (the point of it all), fees, back to the sponsor, still in the vault. */
const COLOURS: Record<string, string> = { fees: "#d97706", withdrawn: "#6366f1", left: "#94a3b8" };
const colourOf = (target: string) => COLOURS[target] ?? "#0f766e";
/** A label's room: half the 340-unit picture at 12 px. A longer name is cut, whole in the node's title. */
const LABEL_CHARS = 22;
const cut = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…` : label);

/**
 * The fund flow as a picture: each deposit's money to the retailers it paid (net), the fees and what is left.
 * Retailers and programs by name; a node's address is in its title (a long press on a phone).
 */
export function FundFlowSankey(props: { report: Report; decimals: number; words: ReportWords }) {
  const { report, decimals, words } = props;
  const layout = useMemo(
    () =>
      layoutSankey(
        fundFlowSankey(report, decimals, {
          deposit: (id) => t("sponsor.flow.deposit", { id }),
          program: (address) => words.programName(address),
          retailer: (address) => words.nameOf(address) ?? t("sponsor.flow.retailer", { address: shortHash(address) }),
          otherRetailers: (count) => t("sponsor.flow.others", { count }),
          fees: t("sponsor.flow.fees"),
          withdrawn: t("sponsor.flow.withdrawn"),
          left: t("sponsor.flow.left"),
        }),
      ),
    // Labels are words: a change of language lays them out again.
    [report, decimals, words, language.value],
  );
  if (layout.nodes.length === 0) return <p class="muted">{t("sponsor.flow.empty")}</p>;
  const { totals } = report;
  const money = words.money;
  // Node ids name their address in lower case ("retailer:0x…", "program:0x…"): its title shows it as the report writes it.
  const written = new Map(report.deposits.flatMap((d) => [d.program, ...d.draws.map((draw) => draw.retailer)]).map((a) => [a.toLowerCase(), a]));
  const addressOf = (id: string) => written.get(/0x[0-9a-f]{40}/.exec(id)?.[0] ?? "");
  return (
    <svg
      class="sankey"
      role="img"
      aria-label={t("sponsor.flow.aria", { deposited: money(totals.deposited), paid: money(totals.paidToRetailers), fees: money(totals.fees), left: money(totals.left) })}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
    >
      {layout.links.map((link) => (
        <path d={link.path} fill={colourOf(link.target)} fill-opacity="0.35" data-source={link.source} data-target={link.target} />
      ))}
      {layout.nodes.map((node) => {
        const source = node.side === "source";
        const x = source ? node.x + 14 : node.x - 4;
        return (
          <g data-node={node.id}>
            <title>{[node.label, addressOf(node.id)].filter(Boolean).join("\n")}</title>
            <rect x={node.x} y={node.y} width="10" height={node.height} rx="2" fill={source ? "#134e4a" : colourOf(node.id)} />
            <text x={x} y={node.labelY + 13} text-anchor={source ? "start" : "end"} class="sankey-label">
              {cut(node.label)}
            </text>
            <text x={x} y={node.labelY + 29} text-anchor={source ? "start" : "end"} class="sankey-amount">
              {money(node.amount)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
