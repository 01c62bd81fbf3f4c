import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { type Signer, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWithdrawalRequest, type WithdrawalAction } from "../../../services/chain/withdrawal-signatures.js";
import { ChainIndexer } from "../../../services/engines/indexer.js";
import { client } from "../../support/client.js";
import { eventually, recyclingScene } from "../../support/earn-fixtures.js";
import { governance, stablecoin, tusd } from "../../support/redemption-fixtures.js";
import { signDeposit, sponsorWithFunds } from "../../support/sponsor-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { SponsorVault__factory } from "../../../types/ethers-contracts/index.js";

let stack: Stack;
let apiUrl: string;
beforeAll(async () => {
  stack = await startStack();
  // The verify script reads the API over HTTP, as a sponsor would.
  await stack.app.listen({ port: 0, host: "127.0.0.1" });
  apiUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stack?.close();
});

type Sponsor = Awaited<ReturnType<typeof sponsorWithFunds>>;

/** The sponsor's (or `signer`'s) signature for `action` on `depositId` at the sponsor's next vault nonce. */
async function sign(sponsor: Sponsor, action: WithdrawalAction, depositId: number, options: { signer?: Pick<Signer, "signTypedData">; deadline?: number } = {}) {
  const deadline = options.deadline ?? Math.floor(Date.now() / 1000) + 3600;
  const signature = await signWithdrawalRequest(options.signer ?? sponsor.wallet, action, {
    chainId: BigInt(stack.chain.chainId),
    vault: stack.deployment.contracts.vault,
    sponsor: sponsor.wallet.address,
    depositId: BigInt(depositId),
    nonce: await stack.chain.vault.nonces(sponsor.wallet.address),
    deadline: BigInt(deadline),
  });
  return { deadline, signature };
}

const SCRIPT = new URL("../../../scripts/verify-fund-flow.ts", import.meta.url).pathname;
const TSX = new URL("../../../node_modules/.bin/tsx", import.meta.url).pathname;

/** Runs `npm run verify` as a sponsor would, against the test's node and API; resolves with its exit code and output. */
async function verify(sponsor: Sponsor) {
  const args = [SCRIPT, "--sponsor", sponsor.wallet.address, "--rpc", stack.config.chainRpcUrl!, "--api", apiUrl];
  try {
    const env = { ...process.env, RECIRCLE_API_KEY: sponsor.key };
    const { stdout } = await promisify(execFile)(TSX, [...args, "--address-book", stack.config.addressBookPath], { timeout: 60_000, env });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** A program and a sponsor who deposited `amount` through the API; the deposit's id. */
async function depositScene(amount = "2") {
  const scene = await recyclingScene(stack);
  const sponsor = await sponsorWithFunds(stack, amount);
  const deposited = await sponsor.api.post("/v1/deposits", await signDeposit(stack, sponsor.wallet, scene.program, amount));
  expect(deposited.status, JSON.stringify(deposited.body)).toBe(201);
  return { ...scene, sponsor, depositId: deposited.body.depositId as number };
}

describe("a sponsor's withdrawal with notice", () => {
  it("shows the deposit with the program's notice period, announces, refuses an early withdrawal, and cancels", async () => {
    const { sponsor, depositId, program } = await depositScene();
    const before = await sponsor.api.get(`/v1/deposits/${depositId}`);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body).toMatchObject({
      depositId,
      program: program.token,
      sponsor: sponsor.wallet.address,
      amount: "2",
      remaining: "2",
      noticePeriodSeconds: 7 * 24 * 3600,
      withdrawal: { status: "none", withdrawableAt: null },
    });

    const announced = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId));
    expect(announced.status, JSON.stringify(announced.body)).toBe(201);
    const block = await stack.chain.provider.getBlock(announced.body.blockNumber);
    expect(announced.body.withdrawableAt).toBe(new Date((block!.timestamp + 7 * 24 * 3600) * 1000).toISOString());
    expect((await sponsor.api.get(`/v1/deposits/${depositId}`)).body.withdrawal).toEqual({ status: "announced", withdrawableAt: announced.body.withdrawableAt });
    expect(await stack.chain.vault.announcedWithdrawals(program.token)).toBe(tusd("2"));

    const again = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RC_VAULT_WITHDRAWAL_ALREADY_ANNOUNCED");
    const early = await sponsor.api.post(`/v1/deposits/${depositId}/withdraw`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("RC_VAULT_WITHDRAWAL_NOT_DUE");

    const cancelled = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal/cancel`, await sign(sponsor, "cancel", depositId));
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ depositId, status: expect.stringMatching(/^(included|confirmed)$/) });
    expect((await sponsor.api.get(`/v1/deposits/${depositId}`)).body.withdrawal).toEqual({ status: "none", withdrawableAt: null });
    const notAnnounced = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal/cancel`, await sign(sponsor, "cancel", depositId));
    expect(notAnnounced.status).toBe(409);
    expect(notAnnounced.body.error.code).toBe("RC_VAULT_WITHDRAWAL_NOT_ANNOUNCED");
  });

  it("withdraws what is left to the sponsor after the notice, and the fund flow shows it withdrawn", async () => {
    const { sponsor, depositId, program } = await depositScene("3");
    // Governance shortens this program's notice to nothing, so the test need not wait a week.
    const vault = SponsorVault__factory.connect(stack.deployment.contracts.vault, governance(stack));
    await (await vault.setNoticePeriod(program.token, 0)).wait();
    expect((await sponsor.api.get(`/v1/deposits/${depositId}`)).body.noticePeriodSeconds).toBe(0);

    expect((await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId))).status).toBe(201);
    const coin = stablecoin(stack);
    const balance = await coin.balanceOf(sponsor.wallet.address);
    const withdrawn = await sponsor.api.post(`/v1/deposits/${depositId}/withdraw`, {});
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ depositId, amount: "3" });
    expect((await coin.balanceOf(sponsor.wallet.address)) - balance).toBe(tusd("3"));
    expect((await sponsor.api.get(`/v1/deposits/${depositId}`)).body).toMatchObject({ remaining: "0", withdrawal: { status: "withdrawn" } });
    const twice = await sponsor.api.post(`/v1/deposits/${depositId}/withdraw`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("RC_VAULT_DEPOSIT_WITHDRAWN");

    // The indexer picks up the vault's new events; the report shows the withdrawal and nothing left.
    const indexer = new ChainIndexer(stack.sql, stack.chain, { confirmations: 0 });
    const head = await stack.chain.provider.getBlockNumber();
    await eventually(() => indexer.runOnce(), (run) => run.toBlock === undefined || run.toBlock >= head);
    const names = await stack.sql<{ name: string }[]>`
      select name from chain_events where name in ('WithdrawalAnnounced', 'Withdrawn') and args->>'depositId' = ${String(depositId)} order by block_number`;
    expect(names.map((r) => r.name)).toEqual(["WithdrawalAnnounced", "Withdrawn"]);
    const report = await sponsor.api.get("/v1/sponsors/me/fund-flow");
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.totals).toMatchObject({ deposited: "3", withdrawn: "3", left: "0" });
    expect(report.body.deposits[0]).toMatchObject({
      depositId,
      withdrawn: "3",
      left: "0",
      withdrawal: { status: "withdrawn", withdrawn: { amount: "3", txHash: withdrawn.body.txHash, blockNumber: withdrawn.body.blockNumber } },
    });
    const csv = await sponsor.api.get("/v1/sponsors/me/fund-flow", { accept: "text/csv" });
    expect(csv.raw.body.trim().split("\n").slice(1).map((row: string) => row.split(",")[0])).toEqual(["deposit", "withdrawal"]);
    // The verifier reads the withdrawal logs from the node itself and agrees.
    const verified = await verify(sponsor);
    expect(verified.output).toContain("withdrawn 3; left 0");
    expect(verified.output).toContain("the API agrees");
    expect(verified.code).toBe(0);
  });

  it("refuses a signature that is not the sponsor's, an expired one, another sponsor's deposit and an unknown one, changing nothing", async () => {
    const { sponsor, depositId } = await depositScene();
    const forged = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId, { signer: Wallet.createRandom() }));
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe("RC_INVALID_WITHDRAWAL_SIGNATURE");
    // A cancellation's signature does not announce.
    const swapped = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "cancel", depositId));
    expect(swapped.body.error.code).toBe("RC_INVALID_WITHDRAWAL_SIGNATURE");
    const expired = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId, { deadline: 1_000 }));
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe("RC_SIGNATURE_EXPIRED");

    const other = await sponsorWithFunds(stack, "1");
    const theirs = await other.api.post(`/v1/deposits/${depositId}/withdrawal`, await sign(other, "announce", depositId));
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.code).toBe("RC_NOT_YOUR_DEPOSIT");
    expect((await other.api.get(`/v1/deposits/${depositId}`)).status).toBe(403);
    expect((await other.api.post(`/v1/deposits/${depositId}/withdraw`, {})).status).toBe(403);
    const unknown = await sponsor.api.get("/v1/deposits/999999");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("RC_DEPOSIT_NOT_FOUND");

    // Bad input is a 400 in the RC shape.
    for (const url of ["/v1/deposits/abc", "/v1/deposits/0", "/v1/deposits/1e3"]) {
      const bad = await sponsor.api.get(url);
      expect(bad.status, url).toBe(400);
      expect(bad.body.error.code, url).toMatch(/^RC_/);
    }
    const malformed = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, { deadline: 1, signature: "0x1234" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toMatch(/^RC_/);
    const extra = await sponsor.api.post(`/v1/deposits/${depositId}/withdrawal`, { ...(await sign(sponsor, "announce", depositId)), depositId: 1 });
    expect(extra.status).toBe(400);

    // Nothing changed on chain, and an admin reads the deposit but cannot announce for the sponsor.
    expect((await stack.chain.vault.getWithdrawal(depositId)).withdrawableAt).toBe(0n);
    const admin = client(stack.app, stack.adminKey);
    expect((await admin.get(`/v1/deposits/${depositId}`)).status).toBe(200);
    expect((await admin.post(`/v1/deposits/${depositId}/withdrawal`, await sign(sponsor, "announce", depositId))).status).toBe(403);
  });
});
