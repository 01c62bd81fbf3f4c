/** The gatherer of group commit on its own: which requests it runs together, and when. No database. */
import { describe, expect, it } from "vitest";
import type { Settled } from "../../../services/core/settled.js";
import { GroupCommit } from "../../../services/engines/group-commit.js";

/** A `run` the test finishes by hand: each group it was given, and a way to answer it. */
function heldRuns() {
  const groups: { requests: string[]; finish(outcomes?: Settled<string>[]): void; fail(error: unknown): void }[] = [];
  const run = (requests: string[]) =>
    new Promise<Settled<string>[]>((resolve, reject) => {
      groups.push({
        requests,
        finish: (outcomes) => resolve(outcomes ?? requests.map((request) => ({ ok: true, value: `done ${request}` }))),
        fail: reject,
      });
    });
  return { groups, run };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const keyOf = (request: string) => request.split("#")[0]!;

describe("GroupCommit", () => {
  it("runs a lone request on the next turn, by itself", async () => {
    const { groups, run } = heldRuns();
    const gatherer = new GroupCommit({ max: 64, maxInFlight: 1, keyOf }, run);
    const answer = gatherer.submit("a");
    await turn();
    expect(groups.map((group) => group.requests)).toEqual([["a"]]);
    groups[0]!.finish();
    expect(await answer).toBe("done a");
  });

  it("takes what arrived in one turn together, and what queued behind a busy slot as the next group, up to max", async () => {
    const { groups, run } = heldRuns();
    const gatherer = new GroupCommit({ max: 3, maxInFlight: 1, keyOf }, run);
    const first = ["a", "b"].map((request) => gatherer.submit(request));
    await turn();
    const queued = ["c", "d", "e", "f"].map((request) => gatherer.submit(request));
    await turn();
    expect(groups.map((group) => group.requests)).toEqual([["a", "b"]]);
    groups[0]!.finish();
    await Promise.all(first);
    expect(groups.map((group) => group.requests)).toEqual([["a", "b"], ["c", "d", "e"]]);
    groups[1]!.finish();
    await turn();
    expect(groups.map((group) => group.requests)).toEqual([["a", "b"], ["c", "d", "e"], ["f"]]);
    groups[2]!.finish();
    expect(await Promise.all(queued)).toEqual(["done c", "done d", "done e", "done f"]);
  });

  it("runs up to maxInFlight groups at once", async () => {
    const { groups, run } = heldRuns();
    const gatherer = new GroupCommit({ max: 64, maxInFlight: 2, keyOf }, run);
    void gatherer.submit("a");
    await turn();
    void gatherer.submit("b");
    await turn();
    void gatherer.submit("c");
    await turn();
    expect(groups.map((group) => group.requests)).toEqual([["a"], ["b"]]);
    groups[1]!.finish();
    await turn();
    expect(groups.map((group) => group.requests)).toEqual([["a"], ["b"], ["c"]]);
  });

  it("never puts two requests of one key in a group: the later one starts the next", async () => {
    const { groups, run } = heldRuns();
    const gatherer = new GroupCommit({ max: 64, maxInFlight: 1, keyOf }, run);
    const answers = ["k#1", "j", "k#2", "i"].map((request) => gatherer.submit(request));
    await turn();
    groups[0]!.finish();
    await turn();
    groups[1]!.finish();
    expect(groups.map((group) => group.requests)).toEqual([["k#1", "j"], ["k#2", "i"]]);
    expect(await Promise.all(answers)).toHaveLength(4);
  });

  it("answers each request of a group with its own outcome, and all with the error of a run that throws", async () => {
    const { groups, run } = heldRuns();
    const gatherer = new GroupCommit({ max: 64, maxInFlight: 1, keyOf }, run);
    const [good, bad] = ["a", "b"].map((request) => gatherer.submit(request));
    await turn();
    groups[0]!.finish([{ ok: true, value: "fine" }, { ok: false, error: new Error("b alone") }]);
    expect(await good).toBe("fine");
    await expect(bad).rejects.toThrow("b alone");

    const both = ["c", "d"].map((request) => gatherer.submit(request));
    await turn();
    groups[1]!.fail(new Error("lost the connection"));
    for (const answer of both) await expect(answer).rejects.toThrow("lost the connection");
  });
});
