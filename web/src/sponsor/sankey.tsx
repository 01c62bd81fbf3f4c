import { useMemo } from "preact/hooks";
import { language, t } from "../i18n.js";
import { shortHash } from "../ui/status-steps.js";
import { fundFlowSankey, type Report } from "./flows.js";
import { layoutSankey } from "./sankey-layout.js";

/** Band colours by where the money went: retailers (the point of it all), fees, what is still in the vault. */
const colourOf = (target: string) => (target === "fees" ? "#d97706" : target === "left" ? "#94a3b8" : "#0f766e");

/** The fund flow as a picture: each deposit's money to the retailers it paid (net), the fees and what is left. */
export function FundFlowSankey(props: { report: Report; decimals: number; programName: (token: string) => string }) {
  const { report, decimals, programName } = props;
  const layout = useMemo(
    () =>
      layoutSankey(
        fundFlowSankey(report, decimals, {
          deposit: (id) => t("sponsor.flow.deposit", { id }),
          program: (address) => programName(address),
          retailer: (address) => t("sponsor.flow.retailer", { address: shortHash(address) }),
          otherRetailers: (count) => t("sponsor.flow.others", { count }),
          fees: t("sponsor.flow.fees"),
          left: t("sponsor.flow.left"),
        }),
      ),
    // Labels are words: a change of language lays them out again.
    [report, decimals, programName, language.value],
  );
  if (layout.nodes.length === 0) return <p class="muted">{t("sponsor.flow.empty")}</p>;
  const { totals } = report;
  return (
    <svg
      class="sankey"
      role="img"
      aria-label={t("sponsor.flow.aria", { deposited: totals.deposited, paid: totals.paidToRetailers, fees: totals.fees, left: totals.left })}
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
            <rect x={node.x} y={node.y} width="10" height={node.height} rx="2" fill={source ? "#134e4a" : colourOf(node.id)} />
            <text x={x} y={node.labelY + 13} text-anchor={source ? "start" : "end"} class="sankey-label">
              {node.label}
            </text>
            <text x={x} y={node.labelY + 29} text-anchor={source ? "start" : "end"} class="sankey-amount">
              {node.amount}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
