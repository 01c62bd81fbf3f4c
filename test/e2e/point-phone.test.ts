import { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pageErrors, phone, snap } from "../support/browser.js";
import { client } from "../support/client.js";
import { admit, grant, programWithPoint } from "../support/earn-fixtures.js";
import { tokens } from "../support/redemption-fixtures.js";
import { useWebStory } from "../support/web-story.js";
import { keptByServiceWorker, openPoint } from "../support/web-steps.js";

const STORY = "point-phone";
const CONFIRM = { timeout: 30_000, interval: 250 };
let program: { id: number; token: string };
let point: Awaited<ReturnType<typeof admit>>;

const web = useWebStory(async ({ stack }) => {
  const river = { name: "River Plastic", symbol: "RVP", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2.5", HDPE: "2" } };
  ({ program, point } = await programWithPoint(stack, river, "Point Muara"));
});

const day = (page: Page) => page.getByRole("list", { name: "Today's drop-offs" });
const rows = (page: Page, status: string) => day(page).locator(`[role="status"][data-status="${status}"]`);
const eventsOf = async (member: { id: number }) =>
  (await web.stack.sql`select id, grams::int as grams, status from events where issuer_id = ${member.id} order by id`) as unknown as {
    id: string;
    grams: number;
    status: string;
  }[];
const phoneCollectors = async () => (await web.stack.sql`select count(*)::int as n from phone_collectors`)[0]!.n as number;

/** Nothing a person reads names an internal code or says "Something went wrong", and nothing is wider than the phone. */
async function plainAndNarrow(page: Page) {
  expect(await page.locator("body").innerText()).not.toMatch(/RC_[A-Z_]+|Something went wrong/);
  const overflowing = await page.evaluate<string[]>(
    `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className)`,
  );
  expect(overflowing).toEqual([]);
}

/** The collector by the number they say, written as people write it locally; then Use. */
async function enterPhone(page: Page, number: string) {
  await page.getByRole("button", { name: "Phone number", exact: true }).click();
  const form = page.locator("form.phone-entry").first();
  await form.getByLabel("Collector's phone number").fill(number);
  await form.getByRole("button", { name: "Use this number" }).click();
}

async function record(page: Page, material: "PET" | "HDPE", grams: number) {
  await page.getByRole("button", { name: material, exact: true }).click();
  await page.getByLabel("Weight in grams").fill(String(grams));
  await page.getByRole("button", { name: "Record" }).click();
}

describe("a collector without a smartphone at the collection point", () => {
  it("is registered by a local number, has a drop-off escrowed under it, gets a claim code and claims it to a wallet", async () => {
    const { page } = await phone(web.browser, web.stack.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await openPoint(page, point.key, program.id);

    // An impossible number is said at once, in words, and registers no one.
    await enterPhone(page, "0812 345");
    await expect.poll(() => page.getByText("This is not a phone number: type it as 0812-345-678 or +62 812 345 678.").isVisible()).toBe(true);
    expect(await page.getByText("Type the collector's phone number first.").isVisible()).toBe(true);
    expect(await phoneCollectors()).toBe(0);
    await plainAndNarrow(page);

    await enterPhone(page, "0812-3456-7890");
    await expect.poll(() => page.getByText("+62•••••••7890").isVisible()).toBe(true);
    expect(await page.getByText("Without a wallet yet: this drop-off waits for them until they claim it.").isVisible()).toBe(true);
    expect(await phoneCollectors()).toBe(1);
    await snap(page, STORY, "01-collector-by-phone");

    await record(page, "PET", 1200);
    await expect.poll(() => page.getByText(/Recorded: 1,200 g PET, 3 RVP\./).isVisible()).toBe(true);
    await expect.poll(() => rows(page, "escrowed").count(), CONFIRM).toBe(1);
    expect(await day(page).getByText("Phone collector (escrow)").isVisible()).toBe(true);
    const [escrowed] = await eventsOf(point);
    expect(escrowed).toMatchObject({ grams: 1200, status: "escrowed" });
    // Nothing is minted before the claim: the escrow is off chain.
    const token = web.stack.chain.token(program.token);
    expect(await token.queryFilter(token.filters.Credited(BigInt(escrowed!.id)), 0)).toHaveLength(0);

    // The claim code, for the number written internationally this time: the same collector.
    const claimCard = page.locator("section.card").filter({ has: page.getByRole("button", { name: "Give a claim code" }) }).last();
    // The number just entered for the drop-off is offered, so it is not typed twice.
    expect(await claimCard.getByLabel("Collector's phone number").inputValue()).toBe("+6281234567890");
    await claimCard.getByLabel("Collector's phone number").fill("+62 812 3456 7890");
    await claimCard.getByRole("button", { name: "Give a claim code" }).click();
    const shown = page.locator("[data-claim-code]");
    await expect.poll(() => shown.count()).toBe(1);
    const code = (await shown.getAttribute("data-claim-code"))!;
    expect(code).toMatch(/^\d{6}$/);
    expect((await shown.innerText()).replace(/\s/g, "")).toBe(code);
    expect(await page.getByText("Code for +62•••••••7890:").isVisible()).toBe(true);
    expect(await page.getByText(/Tell the collector this code\. It works once, until \d{1,2}[:.]\d\d(\s?[AP]M)?\./).isVisible()).toBe(true);
    await plainAndNarrow(page);
    await snap(page, STORY, "02-claim-code");

    // In Bahasa Indonesia, the same screen in its words.
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByText("Kode untuk +62•••••••7890:").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Beri kode klaim" }).isVisible()).toBe(true);
    await plainAndNarrow(page);
    await snap(page, STORY, "03-claim-code-id");
    // The API refuses a code for a number no one registered: said in Indonesian, its code and English only in Rincian.
    const kartu = page.locator("section.card").filter({ has: page.getByRole("button", { name: "Beri kode klaim" }) }).last();
    await kartu.getByLabel("Nomor HP pengumpul").fill("0813 9999 0000");
    await kartu.getByRole("button", { name: "Beri kode klaim" }).click();
    const refusal = kartu.getByRole("alert");
    await expect.poll(() => refusal.locator("p").innerText()).toBe("Belum ada pengumpul dengan nomor ini: catat setoran untuknya dulu.");
    await plainAndNarrow(page);
    await snap(page, STORY, "03b-refused-id");
    await refusal.getByText("Rincian").click();
    expect(await refusal.locator("code").innerText()).toMatch(/^RC_PHONE_NOT_FOUND: /);
    await page.getByLabel("Bahasa").selectOption("en");

    // The collector claims it later with their new wallet: the escrow is minted to it, once.
    const wallet = Wallet.createRandom().address;
    const claimed = await client(web.stack.app).post("/v1/claims", { phone: "081234567890", code, address: wallet });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toEqual({ address: wallet, released: 1 });
    await expect.poll(() => token.balanceOf(wallet), CONFIRM).toBe(tokens("3"));
    expect(await token.queryFilter(token.filters.Credited(BigInt(escrowed!.id)), 0)).toHaveLength(1);
    await page.reload();
    await expect.poll(() => rows(page, "confirmed").count(), CONFIRM).toBe(1);
    await plainAndNarrow(page);
    expect(pageErrors(page)).toEqual([]);
  });

  it("keeps a phone collector and their drop-off on the phone while offline and sends both when the connection returns", async () => {
    const other = await admit(web.stack, "collection_point", "Point Hilir");
    await grant(web.stack, program.id, other.id);
    const { context, page } = await phone(web.browser, web.stack.url);
    await openPoint(page, other.key, program.id);
    await expect.poll(() => keptByServiceWorker(page), CONFIRM).toBe(true);
    const before = await phoneCollectors();

    await context.setOffline(true);
    // Read on the phone itself: an impossible number is refused even without the API.
    await enterPhone(page, "0000 0000 00");
    await expect.poll(() => page.getByText("This is not a phone number: type it as 0812-345-678 or +62 812 345 678.").isVisible()).toBe(true);
    await enterPhone(page, "0857 1234 5678");
    await expect.poll(() => page.getByText("Kept on this phone: registered when the connection returns.").isVisible()).toBe(true);
    await record(page, "HDPE", 800);
    await expect.poll(() => page.getByText("Kept on this phone: 800 g HDPE.").isVisible()).toBe(true);
    await expect.poll(() => rows(page, "kept").count()).toBe(1);
    expect(await day(page).getByText("+62•••••••5678").isVisible()).toBe(true);
    // A claim code needs the API: it says so instead of failing.
    const claimCard = page.locator("section.card").filter({ has: page.getByRole("button", { name: "Give a claim code" }) }).last();
    await claimCard.getByLabel("Collector's phone number").fill("085712345678");
    await claimCard.getByRole("button", { name: "Give a claim code" }).click();
    await expect.poll(() => page.getByText("A claim code needs a connection: try again when it returns.").isVisible()).toBe(true);
    await plainAndNarrow(page);
    await snap(page, STORY, "04-kept-offline");
    expect(await eventsOf(other)).toEqual([]);

    await context.setOffline(false);
    await expect.poll(() => rows(page, "escrowed").count(), CONFIRM).toBe(1);
    expect(await rows(page, "kept").count()).toBe(0);
    expect(await phoneCollectors()).toBe(before + 1);
    expect(await eventsOf(other)).toEqual([expect.objectContaining({ grams: 800, status: "escrowed" })]);
    await plainAndNarrow(page);
    await snap(page, STORY, "05-sent");
    expect(pageErrors(page)).toEqual([]);
  });

  it("shows a Philippine program's counter a Philippine number to copy, in both languages", async () => {
    const bay = { name: "Bay Plastic", symbol: "BAY", kind: "recycling", redemptionRate: "0.5", rates: { PET: "2" }, phoneCountry: "PH" };
    const { program: created, point: manila } = await programWithPoint(web.stack, bay, "Point Tondo");
    const { page } = await phone(web.browser, web.stack.url);
    await openPoint(page, manila.key, created.id);

    await enterPhone(page, "0812 3456 7890");
    const field = page.locator("form.phone-entry").first().getByLabel("Collector's phone number");
    expect(await field.getAttribute("placeholder")).toBe("0905 123 4567");
    await expect.poll(() => page.getByText("This is not a phone number: type it as 0905 123 4567 or +63 905 123 4567.").isVisible()).toBe(true);
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByText("Ini bukan nomor HP: tulis seperti 0905 123 4567 atau +63 905 123 4567.").isVisible()).toBe(true);
    await plainAndNarrow(page);
    expect(pageErrors(page)).toEqual([]);
  });
});
