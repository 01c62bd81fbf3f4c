import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pageErrors, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit } from "../support/earn-fixtures.js";
import { paymentScene, signPayment } from "../support/payment-fixtures.js";
import { operatorConsole } from "../support/web-steps.js";
import { useWebStory } from "../support/web-story.js";

const STORY = "operator-system";
const web = useWebStory();

const console = (tab: "Members" | "System" | "Audit") => operatorConsole(web, tab);

const figure = async (page: Page, name: string) => Number(await page.locator(`[data-figure="${name}"]`).getAttribute("data-value"));

describe("the operator's console: System and Audit tabs, program roles", () => {
  it("shows the queues, outboxes, indexer lag and signers' balances, and refreshes them", async () => {
    const page = await console("System");
    const queues = page.getByRole("table", { name: "Work queues" });
    await expect.poll(() => queues.locator("tbody tr").count()).toBe(3);
    expect(await queues.locator('tr[data-queue="payments"]').textContent()).toContain("Payments to settle");
    const signers = page.getByRole("table", { name: "Signers and their gas" });
    const operator = signers.locator('tr[data-signer="operator"]');
    expect(await operator.getAttribute("data-address")).toBe(web.stack.app.chain.writer.address);
    expect(Number(await operator.locator("[data-balance]").getAttribute("data-balance"))).toBeGreaterThan(0);
    expect(await operator.textContent()).toContain("Enough");
    expect(await signers.locator('tr[data-signer="payments"]').count()).toBe(1);
    expect(await figure(page, "indexer-lag")).toBeGreaterThanOrEqual(0);
    expect(await page.locator('[data-figure="indexer-lag"]').textContent()).toMatch(/The indexer is \d+ blocks behind the chain/);

    // No webhook dispatcher runs in this stack: an event written now waits, and the tab shows it on its next refresh.
    const waiting = await figure(page, "webhooks-waiting");
    const member = await admit(web.stack, "brand", "Merek Sistem");
    await web.stack.sql`
      insert into webhook_events (type, payload, member_ids)
      values ('payment.settled', '{}', ${web.stack.sql.array([String(member.id)])}::bigint[])`;
    await expect.poll(() => figure(page, "webhooks-waiting"), { timeout: 15_000 }).toBe(waiting + 1);
    await snap(page, STORY, "01-system");
    expect(pageErrors(page)).toEqual([]);
  });

  it("lists an action just done in the audit log, filtered by its subject, and downloads it as CSV", async () => {
    const member = await admit(web.stack, "collection_point", "Point Audit Jaya");
    const page = await console("Members");
    await page.getByLabel("Name contains").fill("Point Audit Jaya");
    await page.getByRole("button", { name: "Find" }).click();
    const row = page.locator(`tr[data-member="${member.id}"]`);
    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect.poll(() => row.getAttribute("class")).toContain("inactive");

    await page.getByRole("tab", { name: "Audit" }).click();
    await page.getByLabel("Subject").fill(`member:${member.id}`);
    await page.getByRole("button", { name: "Find" }).click();
    const log = page.getByRole("table", { name: "Audit" });
    await expect.poll(() => log.locator("tbody tr").count()).toBe(2);
    const [latest, first] = [log.locator("tbody tr").nth(0), log.locator("tbody tr").nth(1)];
    expect(await latest.getAttribute("data-action")).toBe("member.deactivate");
    expect(await latest.textContent()).toContain("active: true → false");
    expect(await first.getAttribute("data-action")).toBe("member.admit");
    await snap(page, STORY, "02-audit");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("audit.csv");
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(3); // the header and the member's two entries, nothing else
    expect(lines[1]).toContain("member.deactivate");
    expect(lines[2]).toContain("member.admit");
    expect(pageErrors(page)).toEqual([]);
  });

  it("revokes a retailer's role in a program: on chain too, and the retailer's next payment is refused", async () => {
    const scene = await paymentScene(web.stack, 2);
    const pay = async () =>
      client(web.stack.app).post("/v1/payments", (await signPayment(web.stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces })).body);
    const paid = await pay();
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);

    const page = await console("Members");
    await page.getByLabel("Name contains").fill("Warung Bu Tini");
    await page.getByRole("combobox", { name: "Kind" }).selectOption("retailer");
    await page.getByRole("button", { name: "Find" }).click();
    await page.locator(`tr[data-member="${scene.retailer.id}"]`).getByRole("button", { name: "Programs" }).click();
    const roles = page.locator(`tr[data-roles-of="${scene.retailer.id}"]`);
    const held = roles.locator(`li[data-program="${scene.program.id}"]`);
    expect(await held.textContent()).toContain("accepts payments");
    await snap(page, STORY, "03-roles");
    await held.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => held.count(), { timeout: 30_000 }).toBe(0);
    expect(await roles.textContent()).toContain("No role in any program.");

    const token = web.stack.chain.token(scene.program.token);
    expect(await token.hasRole(await token.ACCEPTOR_ROLE(), scene.retailerWallet.address)).toBe(false);
    const refused = await pay();
    expect([refused.status, refused.body.error?.code]).toEqual([400, "RC_PAYEE_NOT_ACCEPTOR"]);

    // Granted again from the same place: the program is offered, and the retailer's payments are taken again.
    await roles.getByRole("combobox", { name: "Program to grant" }).selectOption(String(scene.program.id));
    await roles.getByRole("button", { name: "Grant" }).click();
    await expect.poll(() => held.count(), { timeout: 30_000 }).toBe(1);
    const again = await pay();
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(pageErrors(page)).toEqual([]);
  });
});
