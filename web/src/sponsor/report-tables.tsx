import type { ComponentChildren } from "preact";
import { t } from "../i18n.js";
import { shortHash } from "../ui/status-steps.js";
import type { Report } from "./flows.js";
import type { ReportWords } from "./words.js";
import { materialName } from "../ui/material.js";

/** A transaction as a phone shows it: short, the whole hash in its title, linked to the explorer if any; its block. */
function Tx(props: { hash: string; block: number; explorer: string | null }) {
  const code = (
    <code title={props.hash} data-tx={props.hash}>
      {shortHash(props.hash)}
    </code>
  );
  return (
    <>
      {props.explorer ? (
        <a href={`${props.explorer}/tx/${props.hash}`} target="_blank" rel="noopener noreferrer">
          {code}
        </a>
      ) : (
        code
      )}{" "}
      <span class="muted">{t("status.block", { block: props.block })}</span>
    </>
  );
}

/** A table that scrolls sideways on a phone rather than squeezing its columns. */
function Table(props: { caption: string; head: (string | { num: string })[]; children: ComponentChildren }) {
  return (
    <>
      {/* The heading stays put while its table scrolls sideways under it. */}
      <h3 class="table-title">{props.caption}</h3>
      <div class="scroll" tabIndex={0} role="region" aria-label={props.caption}>
        <table>
          <thead>
            <tr>
              {props.head.map((h) =>
                typeof h === "string" ? (
                  <th scope="col">{h}</th>
                ) : (
                  <th scope="col" class="num">
                    {h.num}
                  </th>
                )
              )}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      </div>
    </>
  );
}

/** A retailer or program by name, its address one tap away; the short address when the report knows no name. */
function Named(props: { address: string; words: ReportWords }) {
  const name = props.words.nameOf(props.address);
  if (!name) return <code title={props.address}>{shortHash(props.address)}</code>;
  return (
    <details class="named">
      <summary>{name}</summary>
      <code>{props.address}</code>
    </details>
  );
}

/** The figures behind the pictures: deposits, every draw with its fee share, every credited collection. */
export function ReportTables(props: { report: Report; explorer: string | null; words: ReportWords }) {
  const { report, explorer, words } = props;
  const { money, day } = words;
  const draws = report.deposits.flatMap((d) => d.draws.map((draw) => ({ ...draw, depositId: d.depositId })));
  const credits = report.programs.flatMap((p) => p.collections.credits);
  return (
    <>
      <p class="hint">{t("sponsor.table.scroll")}</p>
      <Table
        caption={t("sponsor.table.deposits")}
        head={[
          t("sponsor.col.deposit"),
          t("sponsor.col.program"),
          { num: t("sponsor.col.amount") },
          { num: t("sponsor.col.drawn") },
          { num: t("sponsor.col.withdrawn") },
          { num: t("sponsor.col.left") },
          t("sponsor.col.withdrawal"),
          t("sponsor.col.date"),
          t("sponsor.col.tx"),
        ]}
      >
        {report.deposits.map((d) => (
          <tr data-deposit={d.depositId}>
            <td>#{d.depositId}</td>
            <td>
              <Named address={d.program} words={words} />
            </td>
            <td class="num">{money(d.amount)}</td>
            <td class="num">{money(d.drawn)}</td>
            <td class="num">{money(d.withdrawn)}</td>
            <td class="num">{money(d.left)}</td>
            <td data-withdrawal={d.withdrawal?.status ?? "none"}>
              {d.withdrawal === null
                ? ""
                : d.withdrawal.withdrawn
                  ? t("sponsor.withdrawal.withdrawn", { date: day(d.withdrawal.withdrawn.at) })
                  : t("sponsor.withdrawal.announced", { date: day(d.withdrawal.withdrawableAt) })}
            </td>
            <td>{day(d.at)}</td>
            <td class="tx">
              <Tx hash={d.txHash} block={d.blockNumber} explorer={explorer} />
            </td>
          </tr>
        ))}
      </Table>
      <Table
        caption={t("sponsor.table.draws")}
        head={[
          t("sponsor.col.redemption"),
          { num: t("sponsor.col.net") },
          { num: t("sponsor.col.fee") },
          { num: t("sponsor.col.drawn") },
          t("sponsor.col.retailer"),
          t("sponsor.col.deposit"),
          t("sponsor.col.date"),
          t("sponsor.col.tx"),
        ]}
      >
        {draws.length === 0 && (
          <tr>
            <td colSpan={8} class="muted">
              {t("sponsor.table.none")}
            </td>
          </tr>
        )}
        {draws.map((draw) => (
          <tr data-redemption={draw.redemptionId}>
            <td>#{draw.redemptionId}</td>
            <td class="num">{money(draw.net)}</td>
            <td class="num">{money(draw.fee)}</td>
            <td class="num">{money(draw.amount)}</td>
            <td>
              <Named address={draw.retailer} words={words} />
            </td>
            <td>#{draw.depositId}</td>
            <td>{day(draw.at)}</td>
            <td class="tx">
              <Tx hash={draw.txHash} block={draw.blockNumber} explorer={explorer} />
            </td>
          </tr>
        ))}
      </Table>
      <Table
        caption={t("sponsor.table.collections")}
        head={[
          t("sponsor.col.event"),
          t("sponsor.col.material"),
          { num: t("sponsor.col.kg") },
          { num: t("sponsor.col.tokens") },
          t("sponsor.col.week"),
          t("sponsor.col.point"),
          t("sponsor.col.tx"),
        ]}
      >
        {credits.length === 0 && (
          <tr>
            <td colSpan={7} class="muted">
              {t("sponsor.table.none")}
            </td>
          </tr>
        )}
        {credits.map((c) => (
          <tr data-event={c.eventId} class={c.reversal ? "reversed" : ""}>
            <td>
              #{c.eventId}
              {c.bonusOf !== null && <div class="muted">{t("sponsor.table.bonus", { id: c.bonusOf })}</div>}
              {c.reversal && <div class="problem">{t("sponsor.table.reversed")}</div>}
            </td>
            <td>{materialName(c.material)}</td>
            <td class="num">{words.number(c.kg, 3)}</td>
            <td class="num">{words.number(c.tokens, 18)}</td>
            <td>{c.week}</td>
            <td>{c.point}</td>
            <td class="tx">
              <Tx hash={c.txHash} block={c.blockNumber} explorer={explorer} />
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
