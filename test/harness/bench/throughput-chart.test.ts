import { describe, expect, it } from "vitest";
import { escapeXml, niceCeiling, throughputSvg, wrap } from "../../../harness/bench/throughput-chart.js";

const points = [
  { batchSize: 1, eventsPerS: 40, gasPerEvent: 60_000 },
  { batchSize: 10, eventsPerS: 400, gasPerEvent: 14_000 },
  { batchSize: 100, eventsPerS: 1_500, gasPerEvent: 10_500 },
  { batchSize: 1_000, eventsPerS: 1_900, gasPerEvent: 10_200, flag: "> BATCH_MAX" },
];

/** The numbers of every attribute named `name` in document order. */
const attrs = (svg: string, element: string, name: string) =>
  [...svg.matchAll(new RegExp(`<${element} [^>]*?${name}="([-\\d.]+)"`, "g"))].map((m) => Number(m[1]));

describe("throughput chart", () => {
  it("is one well-formed SVG document with a title, both axes' labels and every point's value", () => {
    const svg = throughputSvg({ title: "Credited events/s", points, notes: ["a note"] });
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Credited events/s");
    expect(svg).toContain("log scale");
    expect(svg).toContain("gas per credited event");
    for (const value of ["40", "400", "1,500", "1,900", "60,000", "10,200", "a note", "&gt; BATCH_MAX"]) expect(svg).toContain(`>${value}<`);
  });

  it("places batch sizes on a log scale: each decade the same width", () => {
    const xs = attrs(throughputSvg({ title: "t", points }), "circle", "cx");
    expect(xs).toHaveLength(4);
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const step of steps) expect(step).toBeCloseTo(steps[0]!, 0);
    expect(xs[0]).toBeLessThan(xs[3]!);
  });

  it("draws a higher rate higher, and an unmeasured point as a cross marked not possible", () => {
    const svg = throughputSvg({ title: "t", points: [...points.slice(0, 3), { batchSize: 1_000 }] });
    const ys = attrs(svg, "circle", "cy");
    expect(ys).toHaveLength(3);
    expect(ys[0]).toBeGreaterThan(ys[1]!);
    expect(ys[1]).toBeGreaterThan(ys[2]!);
    expect(svg).toContain(">not possible<");
  });

  it("escapes text and wraps long notes", () => {
    expect(escapeXml(`a<b & "c"`)).toBe("a&lt;b &amp; &quot;c&quot;");
    const svg = throughputSvg({ title: "<x>", points, notes: ["word ".repeat(60)] });
    expect(svg).toContain("&lt;x&gt;");
    expect(wrap("word ".repeat(60), 130).every((line) => line.length <= 130)).toBe(true);
    expect(wrap("aa bb cc", 5)).toEqual(["aa bb", "cc"]);
  });

  it("rounds axis maxima up to 1, 2 or 5 times a power of ten", () => {
    expect(niceCeiling(1_730)).toBe(2_000);
    expect(niceCeiling(4_100)).toBe(5_000);
    expect(niceCeiling(51_000)).toBe(100_000);
    expect(niceCeiling(1_000)).toBe(1_000);
    expect(niceCeiling(0)).toBe(1);
  });
});
