import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pageErrors, snap } from "../support/browser.js";
import { dropOff, eventually, type RecyclingScene, recyclingScene } from "../support/earn-fixtures.js";
import { stagePendingEvents } from "../support/stage-events.js";
import { operatorConsole } from "../support/web-steps.js";
import { useWebStory } from "../support/web-story.js";

/** The console's Review tab (issue 13): the held queue decided in bulk, failed events retried, reversals listed. */
const STORY = "operator-review";
const web = useWebStory();

const confirmed = (scene: RecyclingScene, id: number) =>
  eventually(() => scene.point.api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed", 30_000);

/** The Review tab as the admin sees it, filtered to one program. */
async function review(programId: number): Promise<Page> {
  const page = await operatorConsole(web, "Review");
  await page.getByLabel("Program").fill(String(programId));
  await page.getByRole("button", { name: "Find" }).click();
  return page;
}

describe("the operator's Review tab in a phone browser", () => {
  it("selects held drop-offs and approves them in one go, showing what became of each; the one left out stays held", async () => {
    const scene = await recyclingScene(web.stack, { perEvent: "10" });
    const held = [await dropOff(scene, 5_000), await dropOff(scene, 6_000), await dropOff(scene, 7_000)];
    expect(held.map((e) => e.status)).toEqual(["held", "held", "held"]);
    const [kept, ...approved] = held.map((e) => e.id) as [number, number, number];
    const page = await review(scene.program.id);
    const queue = page.getByRole("table", { name: "Held for review" });
    await expect.poll(() => queue.locator("tbody tr").count()).toBe(3);

    await page.getByRole("checkbox", { name: "Select all shown" }).check();
    await page.getByRole("checkbox", { name: `Select event ${kept}`, exact: true }).uncheck();
    expect(await page.getByText("2 selected").count()).toBe(1);
    // No decision without a reason.
    const approveSelected = page.getByRole("button", { name: "Approve selected" });
    expect(await approveSelected.isDisabled()).toBe(true);
    await page.getByLabel("Reason for your decision").fill("scale checked, weights are right");
    await snap(page, STORY, "01-selected");
    await approveSelected.click();

    const results = page.getByRole("list", { name: "What became of each" });
    await expect.poll(() => results.locator("li").count()).toBe(2);
    for (const id of approved) expect(await results.locator(`li[data-event="${id}"]`).textContent()).toContain("approved");
    await expect.poll(() => queue.locator("tbody tr").count()).toBe(1);
    expect(await queue.locator(`tr[data-event="${kept}"]`).count()).toBe(1);
    await snap(page, STORY, "02-approved");
    for (const id of approved) await confirmed(scene, id);
    expect((await scene.point.api.get(`/v1/collections/${kept}`)).body.status).toBe("held");
    const audit = await scene.admin.get(`/v1/audit?subject=event:${approved[0]}`);
    expect(audit.body.items).toMatchObject([{ action: "event.approve", after: { reason: "scale checked, weights are right" } }]);
    expect(pageErrors(page)).toEqual([]);
  });

  it("shows a failed event with the token's reason and retries it into a mint, and lists a reversal", async () => {
    const scene = await recyclingScene(web.stack);
    const [failed] = await stagePendingEvents(web.stack.sql, {
      programId: scene.program.id,
      issuerId: scene.point.id,
      beneficiary: scene.collector.address,
      credits: [10n ** 18n],
    });
    // As the batcher leaves an event the token refused, an hour ago.
    await web.stack.sql`
      update events set status = 'failed', failure_code = 'RC_ARITHMETIC_OVERFLOW', failure_reason = 'arithmetic overflow (Panic 0x11)',
        failed_at = now() - interval '1 hour' where id = ${String(failed)}`;
    const credit = await dropOff(scene, 2_000);
    await confirmed(scene, credit.id);
    const reversed = await scene.admin.post(`/v1/events/${credit.id}/reverse`, { reason: "weighed with the crate" });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);

    const page = await review(scene.program.id);
    const failures = page.getByRole("table", { name: "Failed to mint" });
    const row = failures.locator(`tr[data-event="${failed}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain("RC_ARITHMETIC_OVERFLOW");
    expect(text).toContain("arithmetic overflow (Panic 0x11)");
    expect(text).toContain("1 hour ago");
    const reversals = page.getByRole("table", { name: "Reversals" });
    await expect.poll(() => reversals.locator(`tr[data-reversal="${reversed.body.id}"]`).count()).toBe(1);
    expect(await reversals.locator(`tr[data-reversal="${reversed.body.id}"]`).textContent()).toContain("weighed with the crate");
    await snap(page, STORY, "03-failed-and-reversals");

    expect(await row.getByRole("button", { name: "Retry" }).isDisabled()).toBe(true);
    await page.getByLabel("Reason for your decision").fill("cap raised");
    await row.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await confirmed(scene, Number(failed));
    expect(await web.stack.chain.token(scene.program.token).isCredited(failed!)).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  });
});
