import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { pageErrors, phone, snap } from "../support/browser.js";
import { signIn } from "../support/web-steps.js";
import { eventually, idempotencyKey } from "../support/earn-fixtures.js";
import { governance, redemptionScene, settled, signRedemption } from "../support/redemption-fixtures.js";
import { signWithdrawalRequest } from "../../services/chain/withdrawal-signatures.js";
import { SponsorVault__factory } from "../../types/ethers-contracts/index.js";
import { depositDirectly, signDeposit, sponsorWithFunds } from "../support/sponsor-fixtures.js";
import { EXPLORER } from "../support/web-stack.js";
import { useWebStory } from "../support/web-story.js";

const STORY = "sponsor";
const web = useWebStory();

/**
 * A program whose collector brought 60 kg of PET and 2 kg of HDPE and paid 150 tokens to a retailer; a
 * sponsor that funded it twice (relayed, then with its own key); the retailer's redemption of the 150 tokens
 * (1.5 at 0.01, a 0.0075 fee) drawn from the first deposit. Resolves once the indexer has the redemption.
 */
async function fundedScene() {
  const scene = await redemptionScene(web.stack, { kg: 60, amount: "150" });
  const hdpe = { programId: scene.program.id, collector: scene.collector.address, material: "HDPE", grams: 2_000 };
  const earned = await scene.point.api.post("/v1/collections", hdpe, idempotencyKey());
  await eventually(() => scene.point.api.get(`/v1/collections/${earned.body.id}`), (r) => r.body.status === "confirmed");
  const sponsor = await sponsorWithFunds(web.stack, "5");
  const relayed = await sponsor.api.post("/v1/deposits", await signDeposit(web.stack, sponsor.wallet, scene.program, "2"));
  expect(relayed.status, JSON.stringify(relayed.body)).toBe(201);
  await depositDirectly(web.stack, sponsor.wallet, scene.program.token, "1");
  const redemption = await scene.retailer.api.post("/v1/redemptions", await signRedemption(web.stack, scene.retailerWallet, scene.program, "150"));
  expect(redemption.status, JSON.stringify(redemption.body)).toBe(202);
  const done = (await settled(scene.retailer.api, redemption.body.id)).body;
  expect(done.status).toBe("confirmed");
  // The indexer worker (its own process) reaches the redemption's block: the report now has the payout.
  await eventually(() => sponsor.api.get("/v1/sponsors/me/fund-flow"), (r) => r.body?.totals?.drawn === "1.5", 30_000);
  return { scene, sponsor, depositId: relayed.body.depositId as number, redemption: done };
}

/** Elements wider than the phone's screen, tables that scroll sideways on purpose aside. */
const overflowing = (page: Page) =>
  page.evaluate(
    `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + "." + e.className)`,
  );

/** A full-page screenshot from the top (scrolled, the sticky title bar would be drawn mid-page). */
async function shot(page: Page, step: string) {
  await page.evaluate("scrollTo(0, 0)");
  await snap(page, STORY, step);
}

describe("a sponsor in a phone browser", () => {
  it("sees where its money went, downloads the table, and re-checks it against the chain, which catches a lying report", async () => {
    const { scene, sponsor, depositId, redemption } = await fundedScene();
    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/sponsor");
    await signIn(page, sponsor.key);

    // The period in days, as the page's language writes them; its blocks only behind "Blocks and address".
    const { body: report } = await sponsor.api.get("/v1/sponsors/me/fund-flow");
    const day = (at: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(at));
    // From the deployment's day to the last indexed block's: one day, said once, when the two are the same.
    const period = (locale: string) =>
      [...new Set([day(report.period.from.at, locale), day(report.period.to.at, locale)])].join(" – ");
    const dates = page.locator(".period-dates");
    await expect.poll(() => dates.textContent()).toBe(`Sabun Segar Nusantara, ${period("en")}`);
    expect(await dates.textContent()).not.toMatch(/block/i);
    expect(await page.getByText(/^Blocks \d+–\d+$/).isVisible()).toBe(false);
    await page.getByText("Blocks and address").click();
    expect(await page.getByText(/^Blocks \d+–\d+$/).isVisible()).toBe(true);
    // Amounts with their unit.
    expect(await page.locator(".totals dd").allTextContents()).toEqual(["3 tUSD", "1.4925 tUSD", "0.0075 tUSD", "0 tUSD", "1.5 tUSD"]);

    // The re-check against the chain comes before the pictures and the tables, not below 38 rows.
    const recheck = page.getByRole("button", { name: "Re-check against the chain" });
    const sankey = page.getByRole("img", { name: /^Fund flow:/ });
    const top = async (locator: typeof sankey) => (await locator.boundingBox())!.y;
    expect(await top(recheck)).toBeLessThan(await top(sankey));
    expect(await top(recheck)).toBeLessThan(await top(page.getByRole("region", { name: "Deposits" })));

    // The picture: two deposits → the shop by its name (1.4925 net), the fees (0.0075) and what is left (1.5).
    await expect.poll(() => sankey.getAttribute("aria-label")).toBe("Fund flow: 3 tUSD deposited, 1.4925 tUSD paid to retailers, 0.0075 tUSD in fees, 1.5 tUSD left");
    const retailer = scene.retailerWallet.address;
    const node = (id: string) => sankey.locator(`[data-node="${id}"] text`).allTextContents();
    expect(await node(`retailer:${retailer.toLowerCase()}`)).toEqual(["Warung Bu Tini", "1.4925 tUSD"]);
    // Its address one long press away: the node's title.
    expect(await sankey.locator(`[data-node="retailer:${retailer.toLowerCase()}"] title`).textContent()).toBe(`Warung Bu Tini\n${retailer}`);
    expect(await node("fees")).toEqual(["Fees", "0.0075 tUSD"]);
    expect(await node("left")).toEqual(["Left in the vault", "1.5 tUSD"]);
    expect(await node(`deposit:${depositId}`)).toEqual([`Deposit #${depositId}`, "2 tUSD"]);
    await shot(page, "01-fund-flow");
    expect(await overflowing(page)).toEqual([]);

    // kg per week by material, with the legend's totals.
    const weekly = page.getByRole("img", { name: /kg collected over 1 weeks/ });
    await expect.poll(() => weekly.getAttribute("aria-label")).toBe("62 kg collected over 1 weeks, by material");
    expect(await page.locator(".legend li").allTextContents()).toEqual(["HDPE: 2 kg", "PET: 60 kg"]);
    await shot(page, "02-kg-per-week");

    // The table behind it: the redemption's draw with its fee share and its transaction.
    const payouts = page.getByRole("region", { name: "Payouts per redemption" });
    const row = payouts.locator(`tr[data-redemption="${redemption.vaultRedemptionId}"]`);
    await expect.poll(() => row.locator(`[data-tx="${redemption.txHash}"]`).count()).toBe(1);
    expect(await row.getByRole("link").getAttribute("href")).toBe(`${EXPLORER}/tx/${redemption.txHash}`);
    expect(await row.locator("td").allTextContents()).toEqual(expect.arrayContaining([`#${depositId}`, "1.5 tUSD", "0.0075 tUSD", "1.4925 tUSD"]));
    // The shop by its name; a tap opens its address.
    const shop = row.locator("details.named");
    expect(await shop.locator("summary").textContent()).toBe("Warung Bu Tini");
    expect(await shop.locator("code").isVisible()).toBe(false);
    await shop.locator("summary").click();
    expect(await shop.locator("code").textContent()).toBe(retailer);
    // Each deposit names its program.
    const depositRow = page.getByRole("region", { name: "Deposits" }).locator(`tr[data-deposit="${depositId}"]`);
    expect(await depositRow.locator("details.named summary").textContent()).toBe(scene.program.name);
    expect(await row.textContent()).toContain(`block ${redemption.blockNumber}`);
    await shot(page, "03-table");
    // Swiped sideways, the payout's retailer, deposit, date and transaction.
    await page.evaluate(`document.querySelector('[aria-label="Payouts per redemption"]').scrollLeft = 10000`);
    await shot(page, "03b-table-swiped");

    // The CSV: the API's flat table over the same blocks, saved as a file.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^fund-flow-0x[0-9a-fA-F]{8}-\d+-\d+\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const rows = csv.trim().split("\n").map((line) => line.split(","));
    expect(rows[0]).toEqual(expect.arrayContaining(["line", "program", "program_name", "retailer", "retailer_name", "material", "point", "week", "kg", "tokens", "amount"]));
    expect(rows.slice(1).map((r) => r[0])).toEqual(["deposit", "draw", "deposit", "collection", "collection"]);
    expect(rows[2]).toEqual(expect.arrayContaining(["draw", String(redemption.vaultRedemptionId), retailer, "Warung Bu Tini", "1.5", "0.0075", "1.4925", redemption.txHash]));
    // The collections the money bought, each row naming its program.
    expect(rows.slice(4).map((r) => [r[rows[0]!.indexOf("material")], r[rows[0]!.indexOf("kg")], r[rows[0]!.indexOf("program_name")]])).toEqual([
      ["HDPE", "2", scene.program.name],
      ["PET", "60", scene.program.name],
    ]);

    // Re-checked in the browser from the chain's own node: it matches.
    await recheck.click();
    const verdict = page.locator(".chain-check .verdict");
    await expect.poll(() => verdict.textContent(), { timeout: 20_000 }).toContain("Matches the chain. Checked: deposits 2, payouts 1, credits 2.");
    await shot(page, "04-matches-the-chain");

    // Someone edits the indexed draw: the API's report now lies (0.9 drawn), and the chain says otherwise.
    await web.stack.sql`
      update chain_events set args = jsonb_set(args, '{amount}', '"900000"')
      where name = 'DepositDrawn' and args->>'depositId' = ${String(depositId)}`;
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => sankey.getAttribute("aria-label")).toContain("0.895499 tUSD paid to retailers"); // 0.9 less its fee share (splitFee gives the one draw left 4,501 units)
    await page.getByRole("button", { name: "Re-check against the chain" }).click();
    await expect.poll(() => verdict.textContent(), { timeout: 20_000 }).toContain("The report differs from the chain");
    const differences = await page.locator(".differences li").allTextContents();
    expect(differences).toContain(`deposits.#${depositId}.draws.redemption #${redemption.vaultRedemptionId}.amount: chain says "1.5", API says "0.9"`);
    expect(differences).toContain('totals.drawn: chain says "1.5", API says "0.9"');
    await shot(page, "05-differs-from-the-chain");

    // The same page in Bahasa Indonesia: every word through the message files.
    await page.getByLabel("Language").selectOption("id");
    await expect.poll(() => page.getByRole("button", { name: "Periksa ulang dengan rantai" }).count()).toBe(1);
    expect(await page.locator('svg.sankey [data-node="left"] text').allTextContents()).toEqual(["Sisa di vault", "2,1 tUSD"]); // the lying report's, in Indonesian numbers
    await expect.poll(() => dates.textContent()).toBe(`Sabun Segar Nusantara, ${period("id")}`);
    await shot(page, "06-bahasa-indonesia");
    expect(await overflowing(page)).toEqual([]);
    // A 390 px phone too.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "06b-bahasa-indonesia-390");
    expect(await overflowing(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });

  it("sees a withdrawal with notice as money withdrawn back to it, and the chain agrees", async () => {
    const { scene, sponsor, depositId } = await fundedScene();
    // Governance shortens the program's notice to nothing; the sponsor takes back its direct deposit (1 tUSD, undrawn).
    const vault = SponsorVault__factory.connect(web.stack.deployment.contracts.vault, governance(web.stack));
    await (await vault.setNoticePeriod(scene.program.token, 0)).wait();
    const direct = depositId + 1;
    const deadline = Math.floor(Date.now() / 1000) + 3600;
    const signature = await signWithdrawalRequest(sponsor.wallet, "announce", {
      chainId: BigInt(web.stack.chain.chainId),
      vault: web.stack.deployment.contracts.vault,
      sponsor: sponsor.wallet.address,
      depositId: BigInt(direct),
      nonce: await web.stack.chain.vault.nonces(sponsor.wallet.address),
      deadline: BigInt(deadline),
    });
    expect((await sponsor.api.post(`/v1/deposits/${direct}/withdrawal`, { deadline, signature })).status).toBe(201);
    expect((await sponsor.api.post(`/v1/deposits/${direct}/withdraw`, {})).body).toMatchObject({ amount: "1" });
    await eventually(() => sponsor.api.get("/v1/sponsors/me/fund-flow"), (r) => r.body?.totals?.withdrawn === "1", 30_000);

    const { page } = await phone(web.browser, web.stack.url);
    await page.goto("/#/sponsor");
    await signIn(page, sponsor.key);
    const sankey = page.getByRole("img", { name: /^Fund flow:/ });
    const node = (id: string) => sankey.locator(`[data-node="${id}"] text`).allTextContents();
    await expect.poll(() => node("withdrawn")).toEqual(["Withdrawn back to you", "1 tUSD"]);
    expect(await node("left")).toEqual(["Left in the vault", "0.5 tUSD"]);
    const deposits = page.getByRole("region", { name: "Deposits" });
    expect(await deposits.locator(`tr[data-deposit="${direct}"] [data-withdrawal]`).getAttribute("data-withdrawal")).toBe("withdrawn");
    await page.getByRole("button", { name: "Re-check against the chain" }).click();
    await expect.poll(() => page.locator(".chain-check .verdict").textContent(), { timeout: 20_000 }).toContain("Matches the chain.");
    await shot(page, "07-withdrawn");
    expect(pageErrors(page)).toEqual([]);
  });
});
