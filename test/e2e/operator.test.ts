import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, dropOff, eventually, idempotencyKey, recyclingScene } from "../support/earn-fixtures.js";
import { operatorConsole, signIn } from "../support/web-steps.js";
import { useWebStory } from "../support/web-story.js";

const STORY = "operator";
const web = useWebStory();

const console = (tab: "Members" | "Review" | "Lots") => operatorConsole(web, tab);

describe("the operator's console in a phone browser", () => {
  it("finds a point by name and gives it a new key: the old one is refused at once, the new one works", async () => {
    const scene = await recyclingScene(web.stack);
    const page = await console("Members");
    await page.getByLabel("Name contains").fill("Ketapang");
    await page.getByRole("combobox", { name: "Kind" }).selectOption("collection_point");
    await page.getByRole("button", { name: "Find" }).click();
    const row = page.locator(`tr[data-member="${scene.point.id}"]`);
    await row.getByRole("button", { name: "New key" }).click();
    const shown = await page.getByRole("status").locator(".secret").textContent();
    expect(shown).toMatch(/^rck_/);
    expect((await scene.point.api.get("/v1/members/me")).status).toBe(401);
    expect((await client(web.stack.app, shown!).get("/v1/members/me")).body.id).toBe(scene.point.id);
    await snap(page, STORY, "01-new-key");

    // Deactivated: the point's key (the new one) is refused; reactivated, it works again.
    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect.poll(() => row.getAttribute("class")).toContain("inactive");
    expect((await client(web.stack.app, shown!).get("/v1/members/me")).status).toBe(403);
    await row.getByRole("button", { name: "Reactivate" }).click();
    await expect.poll(async () => (await client(web.stack.app, shown!).get("/v1/members/me")).status).toBe(200);
    expect(pageErrors(page)).toEqual([]);
  });

  it("finds a held drop-off by its program, approves it with a reason, and it is minted", async () => {
    const scene = await recyclingScene(web.stack, { perEvent: "10" });
    const other = await recyclingScene(web.stack, { perEvent: "10" });
    const held = await dropOff(scene, 5_000);
    const elsewhere = await dropOff(other, 5_000);
    expect([held.status, elsewhere.status]).toEqual(["held", "held"]);
    const page = await console("Review");
    await page.getByLabel("Program").fill(String(scene.program.id));
    await page.getByRole("button", { name: "Find" }).click();
    const queue = page.getByRole("table", { name: "Held for review" });
    await expect.poll(() => queue.locator("tbody tr").count()).toBe(1);
    const row = queue.locator(`tr[data-event="${held.id}"]`);
    expect(await row.textContent()).toContain("RC_OVER_EVENT_MAX");
    // No decision without a reason.
    expect(await row.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    await page.getByLabel("Reason for your decision").fill("weighed twice, it is right");
    await snap(page, STORY, "02-review");
    await row.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => queue.locator(`tr[data-event="${held.id}"]`).count()).toBe(0);
    await eventually(() => scene.point.api.get(`/v1/collections/${held.id}`), (r) => r.body.status === "confirmed", 30_000);
    expect((await other.point.api.get(`/v1/collections/${elsewhere.id}`)).body.status).toBe("held");
    expect(pageErrors(page)).toEqual([]);
  });

  it("cancels an open lot, and its drop-offs are free for another", async () => {
    const scene = await recyclingScene(web.stack);
    const ids = [(await dropOff(scene, 1_000)).id, (await dropOff(scene, 2_000)).id];
    for (const id of ids) await eventually(() => scene.point.api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed", 30_000);
    const processor = await admit(web.stack, "processor", "Daur Ulang Jaya", Wallet.createRandom().address);
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(201);
    const lot = await processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);

    const page = await console("Lots");
    const row = page.locator(`tr[data-lot="${lot.body.id}"]`);
    await row.getByRole("button", { name: "Cancel lot" }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await processor.api.get(`/v1/lots/${lot.body.id}`)).body.status).toBe("cancelled");
    await page.getByRole("combobox", { name: "Lots that are" }).selectOption("cancelled");
    await expect.poll(() => row.count()).toBe(1);
    await snap(page, STORY, "03-lot-cancelled");
    const again = await processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe("a processor's screen in a phone browser", () => {
  it("forms a lot from one point's confirmed drop-offs, certifies it on chain and shows a drop-off's proof", async () => {
    const scene = await recyclingScene(web.stack);
    const ids = [(await dropOff(scene, 1_000)).id, (await dropOff(scene, 2_000)).id];
    const otherPoint = await admit(web.stack, "collection_point", "Point Muara");
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: otherPoint.id })).status).toBe(201);
    const elsewhere = await otherPoint.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 500 },
      idempotencyKey(),
    );
    for (const [api, id] of [...ids.map((id) => [scene.point.api, id] as const), [otherPoint.api, elsewhere.body.id] as const]) {
      await eventually(() => api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed", 30_000);
    }
    const processor = await admit(web.stack, "processor", "Daur Ulang Jaya", Wallet.createRandom().address);
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(201);

    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/processor");
    await signIn(page, processor.key);
    await page.getByLabel("Collection point #").fill(String(scene.point.id));
    await page.getByRole("button", { name: "Find" }).click();
    const list = page.getByRole("list", { name: "Drop-offs for the lot" });
    await expect.poll(() => list.locator("li").count()).toBe(2);
    expect(await list.locator(`li[data-collection="${elsewhere.body.id}"]`).count()).toBe(0);
    await snap(page, STORY, "04-processor-candidates");
    await page.getByRole("button", { name: "Form a lot of 2 drop-offs (3 kg)" }).click();
    await page.getByRole("button", { name: "Certify on chain" }).click();
    await expect.poll(() => page.locator("[data-lot-status]").getAttribute("data-lot-status"), { timeout: 30_000 }).toBe("confirmed");
    const [lot] = (await processor.api.get(`/v1/lots?programId=${scene.program.id}`)).body.items;
    expect(lot).toMatchObject({ status: "confirmed", collectionIds: expect.arrayContaining(ids) });
    expect(await page.locator(`[data-tx="${lot.txHash}"]`).count()).toBe(1);
    await page.getByRole("button", { name: `Proof of drop-off #${ids[0]}` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Drop-off #${ids[0]} is in the lot`);
    await snap(page, STORY, "05-processor-certified");
    expect(pageErrors(page)).toEqual([]);
  });
});
