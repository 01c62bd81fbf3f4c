import { makeError } from "ethers";
import { describe, expect, it } from "vitest";
import { isRangeRefusal, logsSince, newestLogSince } from "../../../services/chain/logs-in-ranges.js";

/** What ethers' JsonRpcProvider throws for a JSON-RPC error answer it has no name for: the answer inside. */
const rpcError = (code: number, message: string) =>
  makeError("could not coalesce error", "UNKNOWN_ERROR", { error: { code, message }, payload: { method: "eth_getLogs", params: [], id: 1, jsonrpc: "2.0" } });

/**
 * A node holding one log at each of `blocks`, with a head, that refuses eth_getLogs over more than `maxRange`
 * blocks as Infura does. It keeps every range asked, so a test sees the windows.
 */
function node(blocks: number[], head: number, maxRange: number) {
  const asked: [number, number][] = [];
  return {
    asked,
    chain: (logRange: number) => ({ provider: { getBlockNumber: async () => head }, logRange }),
    async read(from: number, to: number) {
      asked.push([from, to]);
      if (to - from + 1 > maxRange) throw rpcError(-32005, `query exceeds max block range ${maxRange}`);
      return blocks.filter((block) => block >= from && block <= to).map((block) => ({ block }));
    },
  };
}

describe("logsSince", () => {
  it("answers every log from the start block to the head in order, in windows the node takes", async () => {
    const n = node([3, 17, 40, 41, 99, 120], 100, 1_000);
    expect(await logsSince(n.chain(25), 10, n.read)).toEqual([{ block: 17 }, { block: 40 }, { block: 41 }, { block: 99 }]);
    expect(n.asked).toEqual([[10, 34], [35, 59], [60, 84], [85, 100]]);
  });

  it("halves a window the node refuses for its range and keeps the narrower one for the rest", async () => {
    const n = node([0, 5, 9, 10, 60, 99], 99, 30);
    expect(await logsSince(n.chain(100), 0, n.read)).toEqual([0, 5, 9, 10, 60, 99].map((block) => ({ block })));
    expect(n.asked).toEqual([[0, 99], [0, 49], [0, 24], [25, 49], [50, 74], [75, 99]]);
  });

  it("passes any other error on at once, and a refusal at one block too", async () => {
    const down = { provider: { getBlockNumber: async () => 100 }, logRange: 10 };
    let calls = 0;
    const failing = async () => {
      calls++;
      throw rpcError(-32000, "header not found");
    };
    await expect(logsSince(down, 0, failing)).rejects.toThrow(/header not found/);
    expect(calls).toBe(1);
    const n = node([1], 5, 0);
    await expect(logsSince(n.chain(4), 0, n.read)).rejects.toThrow(/max block range/);
    expect(n.asked).toEqual([[0, 3], [0, 1], [0, 0]]);
  });

  it("reads nothing when the start block is above the head", async () => {
    const n = node([1], 5, 10);
    expect(await logsSince(n.chain(10), 6, n.read)).toEqual([]);
    expect(n.asked).toEqual([]);
  });
});

describe("newestLogSince", () => {
  it("reads the newest window first and stops at the first that has a log, answering its newest", async () => {
    const n = node([5, 52, 55], 99, 1_000);
    expect(await newestLogSince(n.chain(10), 0, n.read)).toEqual({ block: 55 });
    expect(n.asked).toEqual([[90, 99], [80, 89], [70, 79], [60, 69], [50, 59]]);
  });

  it("skips the logs `wanted` refuses, going on to older windows", async () => {
    const n = node([5, 52, 55], 99, 1_000);
    expect(await newestLogSince(n.chain(50), 0, n.read, async (log) => log.block < 50)).toEqual({ block: 5 });
    expect(await newestLogSince(n.chain(50), 0, n.read, (log) => log.block === 1)).toBeUndefined();
  });

  it("halves a refused window from the head down", async () => {
    const n = node([5], 99, 30);
    expect(await newestLogSince(n.chain(100), 0, n.read)).toEqual({ block: 5 });
    expect(n.asked).toEqual([[0, 99], [50, 99], [75, 99], [50, 74], [25, 49], [0, 24]]);
  });
});

describe("isRangeRefusal", () => {
  it.each([
    [-32005, "query returned more than 10000 results"], // Infura
    [-32600, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size"], // Alchemy
    [-32602, "eth_getLogs is limited to a 10,000 range"], // QuickNode
    [-32005, "query exceeds max block range 10000"],
    [-32000, "exceed maximum block range: 50000"], // BSC
    [-32000, "block range is too wide"],
    [-32602, "Block range limit exceeded"],
    [-32000, "range too large, max 5000 blocks"],
  ])("recognises %i %j", (code, message) => {
    expect(isRangeRefusal(rpcError(code, message))).toBe(true);
  });

  it.each([
    [-32000, "execution reverted"],
    [-32000, "header not found"],
    [-32602, "invalid argument 0: hex string without 0x prefix"],
  ])("takes %i %j for the node's answer", (code, message) => {
    expect(isRangeRefusal(rpcError(code, message))).toBe(false);
    expect(isRangeRefusal(new Error("no RPC endpoint answered after 12 attempts"))).toBe(false);
  });
});
