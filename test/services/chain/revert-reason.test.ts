import { AbiCoder, Transaction, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { NetworkDeployment } from "../../../services/chain/address-book.js";
import { createProvider, DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { describeRevert, revertCode, revertDataOf, revertReason } from "../../../services/chain/revert-reason.js";
import { RewardToken__factory, SponsorVault__factory } from "../../../types/ethers-contracts/index.js";
import { deployTestNetwork } from "../../support/deploy.js";

const INTERFACES = [SponsorVault__factory.createInterface(), RewardToken__factory.createInterface()];
const provider = createProvider(inject("chainUrl"));
let deployment: NetworkDeployment;
beforeAll(async () => {
  deployment = await deployTestNetwork(provider, Wallet.createRandom().address);
});
afterAll(() => provider.destroy());

/** A redemption of a program the vault never registered: it reverts with VaultUnknownProgram. */
async function unknownProgramRedemption(wallet: Wallet) {
  return SponsorVault__factory.connect(deployment.contracts.vault, wallet).redeem.populateTransaction(Wallet.createRandom().address, 1n);
}

describe("revert reasons", () => {
  it("finds the vault's error in a failed estimate", async () => {
    const wallet = new Wallet(DEV_WORKER_KEYS[1], provider);
    const error = await wallet.estimateGas(await unknownProgramRedemption(wallet)).catch((e: unknown) => e);
    expect(revertReason(revertDataOf(error), INTERFACES, "RC_UNKNOWN")).toBe("RC_VAULT_UNKNOWN_PROGRAM");
  });

  it("finds it in the error of a broadcast the node mined as reverted and then refused (Hardhat automine)", async () => {
    const wallet = new Wallet(DEV_WORKER_KEYS[1], provider);
    const signed = await wallet.signTransaction(await wallet.populateTransaction({ ...(await unknownProgramRedemption(wallet)), gasLimit: 200_000n }));
    const error = await provider.broadcastTransaction(signed).catch((e: unknown) => e);
    expect(revertReason(revertDataOf(error), INTERFACES, "RC_UNKNOWN")).toBe("RC_VAULT_UNKNOWN_PROGRAM");
    expect((await provider.getTransactionReceipt(Transaction.from(signed).hash!))?.status).toBe(0);
  });

  it("has no revert data for errors that are not reverts, and falls back for data no interface knows", () => {
    expect(revertDataOf(new Error("connect ECONNREFUSED"))).toBeUndefined();
    expect(revertDataOf({ code: "CALL_EXCEPTION", data: "0x" })).toBeUndefined();
    expect(revertReason("0xdeadbeef", INTERFACES, "RC_REDEMPTION_REVERTED")).toBe("RC_REDEMPTION_REVERTED");
    expect(revertCode("ERC20InsufficientAllowance")).toBe("RC_ERC20_INSUFFICIENT_ALLOWANCE");
    expect(revertCode("EnforcedPause")).toBe("RC_ENFORCED_PAUSE");
  });

  it("describes a revert as a stable code and a sentence: a Panic by its meaning, a custom error with its arguments", () => {
    const abi = AbiCoder.defaultAbiCoder();
    const panic = (code: number) => `0x4e487b71${abi.encode(["uint256"], [code]).slice(2)}`;
    expect(describeRevert(panic(0x11), INTERFACES, "RC_X")).toEqual({
      code: "RC_ARITHMETIC_OVERFLOW",
      reason: "arithmetic overflow: the amount would take a balance or the token's total supply past 2^256 - 1 (Panic 0x11)",
    });
    expect(describeRevert(panic(0x51), INTERFACES, "RC_X")).toEqual({ code: "RC_PANIC", reason: "Panic 0x51" });
    const paused = RewardToken__factory.createInterface().encodeErrorResult("EnforcedPause", []);
    expect(describeRevert(paused, INTERFACES, "RC_X")).toEqual({ code: "RC_ENFORCED_PAUSE", reason: "EnforcedPause()" });
    const credited = RewardToken__factory.createInterface().encodeErrorResult("RewardTokenEventAlreadyCredited", [7n]);
    expect(describeRevert(credited, INTERFACES, "RC_X")).toEqual({ code: "RC_REWARD_TOKEN_EVENT_ALREADY_CREDITED", reason: "RewardTokenEventAlreadyCredited(7)" });
    expect(describeRevert(`0x08c379a0${abi.encode(["string"], ["no"]).slice(2)}`, INTERFACES, "RC_X")).toEqual({ code: "RC_REVERTED", reason: "no" });
    expect(describeRevert(undefined, INTERFACES, "RC_X")).toEqual({ code: "RC_X", reason: "reverted without a reason" });
    expect(describeRevert("0xdeadbeef", INTERFACES, "RC_X")).toMatchObject({ code: "RC_X" });
  });
});
