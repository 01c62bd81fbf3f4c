/**
 * bench/throughput.svg, written by hand: credited events/s (left axis) and gas per event (right axis)
 * against the mint batch size on a log scale. Pure, so it is unit-tested without running anything.
 */

export interface ChartPoint {
  batchSize: number;
  /** Undefined when the point could not be measured (it is drawn as a cross on the axis). */
  eventsPerS?: number | undefined;
  gasPerEvent?: number | undefined;
  /** A short mark under the x label, e.g. "> BATCH_MAX". */
  flag?: string | undefined;
}

export interface ChartInput {
  title: string;
  subtitle?: string;
  points: ChartPoint[];
  /** Lines printed under the chart. */
  notes?: string[];
}

const W = 860;
const PLOT = { left: 80, right: 720, top: 70, bottom: 370 };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The smallest 1, 2 or 5 × 10^k at or above `value` (1 for nothing to show). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Splits `line` at spaces into lines of at most `width` characters (a longer word stands alone). */
export function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of line.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
const text = (x: number, y: number, body: string, attrs = "") =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(body)}</text>`;

export function throughputSvg(input: ChartInput): string {
  const sizes = input.points.map((p) => p.batchSize).filter((s) => s > 0);
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(10, ...sizes)));
  const x = (size: number) => PLOT.left + (Math.log10(size) / Math.log10(xMax)) * (PLOT.right - PLOT.left);
  const measured = input.points.filter((p) => p.eventsPerS !== undefined);
  const rateMax = niceCeiling(Math.max(0, ...measured.map((p) => p.eventsPerS!)) * 1.1);
  const gasMax = niceCeiling(Math.max(0, ...input.points.map((p) => p.gasPerEvent ?? 0)) * 1.1);
  const yRate = (v: number) => PLOT.bottom - (v / rateMax) * (PLOT.bottom - PLOT.top);
  const yGas = (v: number) => PLOT.bottom - (v / gasMax) * (PLOT.bottom - PLOT.top);
  const notes = (input.notes ?? []).flatMap((note) => wrap(note, 130));
  const height = PLOT.bottom + 100 + notes.length * 16;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    text(W / 2, 24, input.title, 'text-anchor="middle" font-size="16" font-weight="bold"'),
  ];
  if (input.subtitle) out.push(text(W / 2, 44, input.subtitle, 'text-anchor="middle" fill="#555"'));

  // Grid and axes: a vertical line per decade, five horizontal steps shared by both y axes.
  for (let decade = 1; decade <= xMax; decade *= 10) {
    out.push(`<line x1="${x(decade).toFixed(1)}" y1="${PLOT.top}" x2="${x(decade).toFixed(1)}" y2="${PLOT.bottom}" stroke="#e3e3e3"/>`);
  }
  for (let i = 0; i <= 5; i++) {
    const y = PLOT.bottom - (i / 5) * (PLOT.bottom - PLOT.top);
    out.push(`<line x1="${PLOT.left}" y1="${y.toFixed(1)}" x2="${PLOT.right}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>`);
    out.push(text(PLOT.left - 8, y + 4, fmt((rateMax * i) / 5), 'text-anchor="end" fill="#1f5fa8"'));
    out.push(text(PLOT.right + 8, y + 4, fmt((gasMax * i) / 5), 'fill="#b85c00"'));
  }
  out.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#333"/>`);
  // Under each batch size: its gas per event (a row, so it never collides with the rate labels) and its flag.
  out.push(text(PLOT.left - 22, PLOT.bottom + 34, "gas/event", 'text-anchor="end" font-size="10" fill="#b85c00"'));
  for (const point of input.points) {
    const px = x(point.batchSize);
    out.push(text(px, PLOT.bottom + 18, fmt(point.batchSize), 'text-anchor="middle"'));
    if (point.gasPerEvent !== undefined) out.push(text(px, PLOT.bottom + 34, fmt(point.gasPerEvent), 'text-anchor="middle" font-size="10" fill="#b85c00"'));
    if (point.flag) out.push(text(px, PLOT.bottom + 48, point.flag, 'text-anchor="middle" font-size="10" fill="#a00"'));
  }
  out.push(text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 68, "mint batch size (events per mintBatch transaction, log scale)", 'text-anchor="middle"'));
  const mid = (PLOT.top + PLOT.bottom) / 2;
  out.push(text(22, mid, "credited events/s", `text-anchor="middle" fill="#1f5fa8" transform="rotate(-90 22 ${mid})"`));
  out.push(text(W - 14, mid, "gas per credited event", `text-anchor="middle" fill="#b85c00" transform="rotate(90 ${W - 14} ${mid})"`));

  // Gas per event: dashed, square markers (values in the row under the axis).
  const gasPoints = input.points.filter((p) => p.gasPerEvent !== undefined && p.eventsPerS !== undefined);
  if (gasPoints.length > 1) {
    const path = gasPoints.map((p) => `${x(p.batchSize).toFixed(1)},${yGas(p.gasPerEvent!).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${path}" fill="none" stroke="#b85c00" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  }
  for (const p of gasPoints) {
    const [px, py] = [x(p.batchSize), yGas(p.gasPerEvent!)];
    out.push(`<rect x="${(px - 3.5).toFixed(1)}" y="${(py - 3.5).toFixed(1)}" width="7" height="7" fill="#b85c00"/>`);
  }

  // Events/s: solid, round markers, values above; an unmeasured point is a cross on the x axis.
  if (measured.length > 1) {
    const path = measured.map((p) => `${x(p.batchSize).toFixed(1)},${yRate(p.eventsPerS!).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>`);
  }
  for (const p of input.points) {
    const px = x(p.batchSize);
    if (p.eventsPerS === undefined) {
      const py = PLOT.bottom - 8;
      out.push(`<path d="M${px - 5},${py - 5} L${px + 5},${py + 5} M${px - 5},${py + 5} L${px + 5},${py - 5}" stroke="#a00" stroke-width="2"/>`);
      out.push(text(px, py - 10, "not possible", 'text-anchor="middle" font-size="10" fill="#a00"'));
      continue;
    }
    const py = yRate(p.eventsPerS);
    out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4.5" fill="${p.flag ? "#ffffff" : "#1f5fa8"}" stroke="#1f5fa8" stroke-width="2"/>`);
    out.push(text(px, py - 10, fmt(p.eventsPerS), 'text-anchor="middle" font-weight="bold" fill="#1f5fa8"'));
  }

  // Legend and notes.
  out.push(`<line x1="${PLOT.left + 10}" y1="${PLOT.top + 14}" x2="${PLOT.left + 34}" y2="${PLOT.top + 14}" stroke="#1f5fa8" stroke-width="2"/>`);
  out.push(text(PLOT.left + 40, PLOT.top + 18, "credited events/s (left)", 'fill="#1f5fa8"'));
  out.push(`<line x1="${PLOT.left + 10}" y1="${PLOT.top + 32}" x2="${PLOT.left + 34}" y2="${PLOT.top + 32}" stroke="#b85c00" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  out.push(text(PLOT.left + 40, PLOT.top + 36, "gas per credited event (right)", 'fill="#b85c00"'));
  notes.forEach((note, i) => out.push(text(20, PLOT.bottom + 94 + i * 16, note, 'font-size="11" fill="#333"')));
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
