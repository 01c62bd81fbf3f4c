import { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pageErrors, phone, snap } from "../support/browser.js";
import { admit, grant, programWithPoint } from "../support/earn-fixtures.js";
import { tokens } from "../support/redemption-fixtures.js";
import { useWebStory } from "../support/web-story.js";
import { keptByServiceWorker, openPoint } from "../support/web-steps.js";

const STORY = "point-offline";
const CONFIRM = { timeout: 30_000, interval: 250 };
let program: { id: number; token: string };
let point: Awaited<ReturnType<typeof admit>>;
const sari = Wallet.createRandom();
const budi = Wallet.createRandom();

const web = useWebStory(async ({ stack }) => {
  const river = { name: "River Plastic", symbol: "RVP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5", HDPE: "2" } };
  ({ program, point } = await programWithPoint(stack, river, "Point Muara"));
});

/** At the scale without a connection: the collector's QR, the material, the weight, Record; kept on the phone. */
async function dropOff(page: Page, collector: string, material: "PET" | "HDPE", grams: number) {
  await page.getByLabel("Collector's wallet", { exact: true }).fill(collector);
  await page.getByRole("button", { name: "Use", exact: true }).click();
  await expect.poll(() => page.getByText("Kept on this phone: registered when the connection returns.").isVisible()).toBe(true);
  await page.getByRole("button", { name: material, exact: true }).click();
  // Record says what it waits for while it cannot be tapped.
  expect(await page.getByRole("button", { name: "Record" }).isDisabled()).toBe(true);
  expect(await page.getByText("Type the weight in grams.").isVisible()).toBe(true);
  await page.getByLabel("Weight in grams").fill(String(grams));
  await page.getByRole("button", { name: "Record" }).click();
  const said = `Kept on this phone: ${grams.toLocaleString("en-US")} g ${material}.`;
  await expect.poll(() => page.getByText(said).isVisible()).toBe(true);
}

const day = (page: Page) => page.getByRole("list", { name: "Today's drop-offs" });
const rows = (page: Page, status: string) => day(page).locator(`[role="status"][data-status="${status}"]`);
const eventsOf = async (member: { id: number }) =>
  (await web.stack.sql`select id, grams::int as grams from events where issuer_id = ${member.id} order by id`) as unknown as { id: string; grams: number }[];
const pointEvents = () => eventsOf(point);

/** Nothing a person reads names an internal code or says "Something went wrong". */
async function plainWords(page: Page) {
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/RC_[A-Z_]+|Something went wrong/);
}

describe("a collection point without a connection", () => {
  it("keeps three drop-offs across a reload and sends each once, in order, when the connection returns", async () => {
    const { context, page } = await phone(web.browser, web.stack.url);
    await openPoint(page, point.key, program.id);
    expect(await page.getByText("Scan the collector first.").isVisible()).toBe(true);
    // The service worker holds the app (web/src/sw.ts) before the connection goes.
    await expect.poll(() => keptByServiceWorker(page), CONFIRM).toBe(true);

    await context.setOffline(true);
    await expect.poll(() => page.getByRole("status").filter({ hasText: "You are offline" }).textContent()).toBe(
      "You are offline. Drop-offs you record are kept on this phone and sent when the connection returns.",
    );
    await dropOff(page, `ethereum:${sari.address}@${web.stack.chain.chainId}`, "PET", 1000);
    await dropOff(page, budi.address, "HDPE", 2000);
    await dropOff(page, sari.address, "HDPE", 500);
    await expect.poll(() => rows(page, "kept").count()).toBe(3);
    await snap(page, STORY, "01-three-kept");

    // Opened again without a connection: the app from the service worker, the drop-offs from the phone.
    await page.reload();
    await expect.poll(() => page.getByLabel("Program").inputValue(), CONFIRM).toBe(String(program.id));
    await expect.poll(() => rows(page, "kept").count()).toBe(3);
    expect(await page.getByText("Waiting to be sent: 3").isVisible()).toBe(true);
    expect(await page.getByText("No connection: the day's list is read again when it returns.").isVisible()).toBe(true);
    await plainWords(page);
    await snap(page, STORY, "02-reloaded-offline");
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByText("Disimpan di ponsel ini", { exact: true }).count()).toBe(3);
    expect(await page.getByText("Anda sedang luring. Setoran yang Anda catat disimpan di ponsel ini").isVisible()).toBe(true);
    await snap(page, STORY, "02-reloaded-offline-id");
    await page.getByLabel("Bahasa").selectOption("en");
    expect(await pointEvents()).toEqual([]);

    await context.setOffline(false);
    await expect.poll(() => rows(page, "confirmed").count(), CONFIRM).toBe(3);
    expect(await rows(page, "kept").count()).toBe(0);
    await snap(page, STORY, "03-sent-and-minted");
    await plainWords(page);

    // Sent in the order recorded, each once: one event, one Idempotency-Key, one Credited log, the right balances.
    const events = await pointEvents();
    expect(events.map((e) => e.grams)).toEqual([1000, 2000, 500]);
    const [keys] = await web.stack.sql`select count(*)::int as n from idempotency_keys where member_id = ${point.id}`;
    expect(keys!.n).toBe(3);
    const token = web.stack.chain.token(program.token);
    for (const event of events) expect(await token.queryFilter(token.filters.Credited(BigInt(event.id)), 0)).toHaveLength(1);
    expect(await token.balanceOf(sari.address)).toBe(tokens("3.5"));
    expect(await token.balanceOf(budi.address)).toBe(tokens("4"));
    expect(pageErrors(page)).toEqual([]);
  });

  it("says in words why a kept drop-off was refused when the connection returned, and does not send it again", async () => {
    const other = await admit(web.stack, "collection_point", "Point Hilir");
    await grant(web.stack, program.id, other.id);
    const { context, page } = await phone(web.browser, web.stack.url);
    await openPoint(page, other.key, program.id);
    await expect.poll(() => keptByServiceWorker(page), CONFIRM).toBe(true);
    await context.setOffline(true);
    await dropOff(page, Wallet.createRandom().address, "PET", 400);
    // While the phone is offline, the operator takes the point's role in the program away.
    const revoked = await web.stack.app.inject({
      method: "DELETE",
      url: `/v1/programs/${program.id}/members/${other.id}`,
      headers: { authorization: `Bearer ${web.stack.adminKey}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    let posts = 0;
    page.on("request", (request) => void (request.method() === "POST" && request.url().endsWith("/v1/collections") && posts++));

    await context.setOffline(false);
    await expect.poll(() => rows(page, "refused").count(), CONFIRM).toBe(1);
    expect(await day(page).getByText("This point may no longer record for this program.").isVisible()).toBe(true);
    // The form no longer says it is kept: its row says what became of it.
    expect(await page.getByText("Kept on this phone: 400 g PET.").count()).toBe(0);
    await plainWords(page);
    await snap(page, STORY, "04-refused");
    // Past the outbox's retry timer (5 s): a refusal is final, so it is not sent again.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(posts).toBe(1);
    await page.getByRole("button", { name: "Remove from the list" }).click();
    await expect.poll(() => rows(page, "refused").count()).toBe(0);
    expect(await eventsOf(other)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });
});
