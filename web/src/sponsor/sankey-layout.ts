/**
 * A two-column Sankey laid out without a DOM: sources on the left (deposits), targets on the right
 * (retailers paid, fees, what is left), one band per flow whose thickness is proportional to its value.
 * The SVG component only draws what this returns, so the geometry is unit-tested on its own.
 */

export interface SankeyNode {
  id: string;
  /** The node's name and its amount as the report states it (a decimal string): shown, never computed with. */
  label: string;
  amount: string;
}

export interface SankeyLink {
  source: string;
  target: string;
  /** Proportional to the amount; any unit, as long as all links share it. */
  value: number;
}

export interface SankeyInput {
  sources: SankeyNode[];
  targets: SankeyNode[];
  links: SankeyLink[];
}

export interface SankeyOptions {
  /** The drawing's width (viewBox units: on a phone ≈ CSS pixels). */
  width: number;
  /** The height the bars of one column share when all value is in them. */
  flowHeight: number;
  nodeWidth: number;
  /** Space between two nodes of a column. */
  gap: number;
  /** Each node's slot is at least this tall, so its two-line label never overlaps the next one. */
  labelHeight: number;
  /** A band or bar never thinner than this, so a small fee stays visible (its label carries its amount). */
  minThickness: number;
}

export const DEFAULT_SANKEY: SankeyOptions = { width: 340, flowHeight: 220, nodeWidth: 10, gap: 8, labelHeight: 34, minThickness: 1.5 };

export interface PlacedNode extends SankeyNode {
  side: "source" | "target";
  value: number;
  x: number;
  /** The bar: [y, y + height]. */
  y: number;
  height: number;
  /** Where the label's first line sits (its baseline is below it), centred on the bar. */
  labelY: number;
}

export interface PlacedLink extends SankeyLink {
  thickness: number;
  /** Top of the band where it leaves the source and where it enters the target. */
  y0: number;
  y1: number;
  /** A closed SVG path: two cubic curves and the band's ends. */
  path: string;
}

export interface SankeyLayout {
  width: number;
  height: number;
  /** viewBox units per unit of value: a band's thickness is value × scale (or minThickness). */
  scale: number;
  nodes: PlacedNode[];
  links: PlacedLink[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Places the nodes (in the given order, zero-valued nodes left out) and the bands. Each column's bars
 * together are `flowHeight` tall when the value in it is the largest column's; each band is stacked in its
 * source in target order and in its target in source order, so bands never cross inside a bar.
 */
export function layoutSankey(input: SankeyInput, options: Partial<SankeyOptions> = {}): SankeyLayout {
  const o = { ...DEFAULT_SANKEY, ...options };
  const links = input.links.filter((l) => l.value > 0);
  const valueOf = (id: string, side: "source" | "target") =>
    links.filter((l) => (side === "source" ? l.source : l.target) === id).reduce((s, l) => s + l.value, 0);
  const column = (nodes: SankeyNode[], side: "source" | "target") =>
    nodes.map((n) => ({ ...n, side, value: valueOf(n.id, side) })).filter((n) => n.value > 0);
  const sources = column(input.sources, "source");
  const targets = column(input.targets, "target");
  const total = Math.max(
    sources.reduce((s, n) => s + n.value, 0),
    targets.reduce((s, n) => s + n.value, 0),
  );
  const scale = total > 0 ? o.flowHeight / total : 0;
  const thicknessOf = (value: number) => Math.max(value * scale, o.minThickness);

  const place = (nodes: typeof sources, x: number): PlacedNode[] => {
    let top = 0;
    return nodes.map((n) => {
      const bandSum = links
        .filter((l) => (n.side === "source" ? l.source : l.target) === n.id)
        .reduce((s, l) => s + thicknessOf(l.value), 0);
      const height = Math.max(bandSum, o.minThickness);
      const slot = Math.max(height, o.labelHeight);
      const placed = { ...n, x, y: top + (slot - height) / 2, height, labelY: top + slot / 2 - o.labelHeight / 2 };
      top += slot + o.gap;
      return placed;
    });
  };
  const left = place(sources, 0);
  const right = place(targets, o.width - o.nodeWidth);
  const nodes = [...left, ...right];
  const height = Math.max(0, ...nodes.map((n) => Math.max(n.y + n.height, n.labelY + o.labelHeight)));

  // Bands leave a source in target order and enter a target in source order.
  const orderOf = new Map(nodes.map((n, i) => [`${n.side}:${n.id}`, i]));
  const offsets = new Map<string, number>();
  const take = (key: string, start: number, thickness: number) => {
    const used = offsets.get(key) ?? 0;
    offsets.set(key, used + thickness);
    return start + used;
  };
  const sorted = [...links].sort(
    (a, b) =>
      orderOf.get(`source:${a.source}`)! - orderOf.get(`source:${b.source}`)! ||
      orderOf.get(`target:${a.target}`)! - orderOf.get(`target:${b.target}`)!,
  );
  const placedLinks = new Map<SankeyLink, PlacedLink>();
  for (const link of sorted) {
    const source = left.find((n) => n.id === link.source);
    const target = right.find((n) => n.id === link.target);
    if (!source || !target) continue;
    const thickness = thicknessOf(link.value);
    const y0 = take(`source:${link.source}`, source.y, thickness);
    placedLinks.set(link, { ...link, thickness, y0, y1: 0, path: "" });
  }
  // Target offsets in source order: walk the links again sorted by source within each target.
  for (const link of [...placedLinks.keys()].sort(
    (a, b) =>
      orderOf.get(`target:${a.target}`)! - orderOf.get(`target:${b.target}`)! ||
      orderOf.get(`source:${a.source}`)! - orderOf.get(`source:${b.source}`)!,
  )) {
    const placed = placedLinks.get(link)!;
    const target = right.find((n) => n.id === link.target)!;
    placed.y1 = take(`target:${link.target}`, target.y, placed.thickness);
    const x0 = o.nodeWidth;
    const x1 = o.width - o.nodeWidth;
    const mid = (x0 + x1) / 2;
    const t = placed.thickness;
    const [a, b] = [round(placed.y0), round(placed.y1)];
    const [c, d] = [round(placed.y0 + t), round(placed.y1 + t)];
    placed.path = `M${x0} ${a}C${mid} ${a} ${mid} ${b} ${x1} ${b}L${x1} ${d}C${mid} ${d} ${mid} ${c} ${x0} ${c}Z`;
  }
  return { width: o.width, height: Math.ceil(height), scale, nodes, links: links.flatMap((l) => placedLinks.get(l) ?? []) };
}
