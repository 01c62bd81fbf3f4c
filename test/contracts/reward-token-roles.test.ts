import { VRS } from "../../services/chain/eip3009.js";
import { ZeroAddress, ZeroHash } from "ethers";
import { beforeEach, describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { governance, operator, retailer, collector, collector2, stranger } = accounts;
type Signer = typeof collector;

const role = (name: string) => ethers.id(name);
const [MINTER, PAUSER, BURNER, ACCEPTOR, REGISTRAR] = ["MINTER_ROLE", "PAUSER_ROLE", "BURNER_ROLE", "ACCEPTOR_ROLE", "REGISTRAR_ROLE"].map(role) as [
  string, string, string, string, string,
];
const ADMIN = ZeroHash;

/** Signs a transfer authorization of `signer`'s, valid for the next hour, as the batch relay takes it. */
async function authorize(token: RewardToken, signer: Signer, to: string, value: bigint) {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() };
  const types = {
    TransferWithAuthorization: ["from", "to", "value", "validAfter", "validBefore", "nonce"].map((name, i) => ({
      name, type: i < 2 ? "address" : i < 5 ? "uint256" : "bytes32",
    })),
  };
  const validBefore = BigInt(await networkHelpers.time.latest()) + 3600n;
  const message = { from: signer.address, to, value, validAfter: 0n, validBefore, nonce: ethers.hexlify(ethers.randomBytes(32)) };
  const { v, r, s } = ethers.Signature.from(await signer.signTypedData(domain, types, message));
  return { ...message, v, r, s };
}

describe("RewardToken roles and program rules", () => {
  let token: RewardToken;
  let implementation: Awaited<ReturnType<typeof deployNetwork>>["implementation"];
  let vaultAddress: string;
  let createProgram: Awaited<ReturnType<typeof deployNetwork>>["createProgram"];

  beforeEach(async () => {
    const network = await networkHelpers.loadFixture(deployNetwork);
    ({ implementation, createProgram } = network);
    vaultAddress = await network.vault.getAddress();
    token = await createProgram();
    await receiptOf(token.connect(operator).mint(collector.address, tokens(100), 1n));
  });

  it("gives each role to the account the factory names, and ACCEPTOR_ROLE to the registrar to manage", async () => {
    const holders: [string, string][] = [[ADMIN, governance.address], [MINTER, operator.address], [PAUSER, governance.address], [REGISTRAR, operator.address], [BURNER, vaultAddress]];
    for (const [r, holder] of holders) expect(await token.hasRole(r, holder), r).toBe(true);
    expect(await token.hasRole(MINTER, governance.address)).toBe(false);
    expect(await token.hasRole(BURNER, operator.address)).toBe(false);
    expect(await token.getRoleAdmin(ACCEPTOR)).toBe(REGISTRAR);
    expect(await token.getRoleAdmin(MINTER)).toBe(ADMIN);
    expect(await token.MINTER_ROLE()).toBe(MINTER);
    expect(await token.ACCEPTOR_ROLE()).toBe(ACCEPTOR);
  });

  describe("privileged functions", () => {
    it("refuses mint and mintBatch to every account but the minter", async () => {
      for (const signer of [governance, retailer, collector, stranger]) {
        const as = token.connect(signer);
        await expectRevert(as.mint(signer.address, 1n, 2n), token, "AccessControlUnauthorizedAccount", [signer.address, MINTER]);
        await expectRevert(as.mintBatch([signer.address], [1n], [2n]), token, "AccessControlUnauthorizedAccount", [signer.address, MINTER]);
      }
      expect(await token.isCredited(2n)).toBe(false);
    });

    it("refuses pause and unpause to every account but the pauser", async () => {
      for (const signer of [operator, retailer, stranger]) {
        await expectRevert(token.connect(signer).pause(), token, "AccessControlUnauthorizedAccount", [signer.address, PAUSER]);
      }
      await receiptOf(token.connect(governance).pause());
      for (const signer of [operator, retailer, stranger]) {
        await expectRevert(token.connect(signer).unpause(), token, "AccessControlUnauthorizedAccount", [signer.address, PAUSER]);
      }
      expect(await token.paused()).toBe(true);
    });

    it("refuses burnFrom to every account but the burner, even with an allowance", async () => {
      for (const signer of [governance, operator, stranger]) {
        await receiptOf(token.connect(collector).approve(signer.address, tokens(10)));
        await expectRevert(token.connect(signer).burnFrom(collector.address, 1n), token, "AccessControlUnauthorizedAccount", [signer.address, BURNER]);
      }
      expect(await token.balanceOf(collector.address)).toBe(tokens(100));
    });

    it("lets only the registrar grant ACCEPTOR_ROLE, not even the admin", async () => {
      for (const signer of [governance, retailer, stranger]) {
        await expectRevert(token.connect(signer).grantRole(ACCEPTOR, retailer.address), token, "AccessControlUnauthorizedAccount", [signer.address, REGISTRAR]);
      }
      expect(await token.isAcceptor(retailer.address)).toBe(false);
    });

    it("lets only the admin grant MINTER_ROLE", async () => {
      for (const signer of [operator, stranger]) {
        await expectRevert(token.connect(signer).grantRole(MINTER, stranger.address), token, "AccessControlUnauthorizedAccount", [signer.address, ADMIN]);
      }
      const receipt = await receiptOf(token.connect(governance).grantRole(MINTER, stranger.address));
      expectEvent(receipt, token, "RoleGranted", [MINTER, stranger.address, governance.address]);
      await receiptOf(token.connect(stranger).mint(stranger.address, 1n, 3n));
      expect(await token.balanceOf(stranger.address)).toBe(1n);
    });

    it("lets the registrar grant and revoke ACCEPTOR_ROLE but no other role", async () => {
      const registrar = token.connect(operator);
      const granted = await receiptOf(registrar.grantRole(ACCEPTOR, retailer.address));
      expectEvent(granted, token, "RoleGranted", [ACCEPTOR, retailer.address, operator.address]);
      expect(await token.isAcceptor(retailer.address)).toBe(true);

      const revoked = await receiptOf(registrar.revokeRole(ACCEPTOR, retailer.address));
      expectEvent(revoked, token, "RoleRevoked", [ACCEPTOR, retailer.address, operator.address]);
      expect(await token.isAcceptor(retailer.address)).toBe(false);

      for (const r of [ADMIN, MINTER, PAUSER, BURNER, REGISTRAR]) {
        await expectRevert(registrar.grantRole(r, stranger.address), token, "AccessControlUnauthorizedAccount", [operator.address, ADMIN]);
      }
      await expectRevert(registrar.revokeRole(BURNER, vaultAddress), token, "AccessControlUnauthorizedAccount", [operator.address, ADMIN]);
      expect(await token.hasRole(BURNER, vaultAddress)).toBe(true);
    });
  });

  describe("burnFrom", () => {
    it("burns within the burner's allowance and refuses beyond it", async () => {
      await receiptOf(token.connect(governance).grantRole(BURNER, stranger.address));
      await receiptOf(token.connect(collector).approve(stranger.address, tokens(5)));
      const burner = token.connect(stranger);

      const receipt = await receiptOf(burner.burnFrom(collector.address, tokens(3)));

      expectEvent(receipt, token, "Transfer", [collector.address, ZeroAddress, tokens(3)]);
      expect(await token.balanceOf(collector.address)).toBe(tokens(97));
      expect(await token.totalSupply()).toBe(tokens(97));
      expect(await token.allowance(collector.address, stranger.address)).toBe(tokens(2));
      await expectRevert(burner.burnFrom(collector.address, tokens(3)), token, "ERC20InsufficientAllowance", [stranger.address, tokens(2), tokens(3)]);
      await expectRevert(burner.burnFrom(collector2.address, 1n), token, "ERC20InsufficientAllowance", [stranger.address, 0n, 1n]);
    });
  });

  describe("pause", () => {
    it("blocks minting, transfers and authorized transfers until unpaused", async () => {
      const pauser = token.connect(governance);
      const relay = token.connect(stranger);
      expectEvent(await receiptOf(pauser.pause()), token, "Paused", [governance.address]);
      const auth = await authorize(token, collector, retailer.address, tokens(1));
      const single = () => relay[VRS.transferWithAuthorization](auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, auth.v, auth.r, auth.s);

      await expectRevert(token.connect(operator).mint(collector.address, 1n, 2n), token, "EnforcedPause", []);
      await expectRevert(token.connect(operator).mintBatch([collector.address], [1n], [2n]), token, "EnforcedPause", []);
      await expectRevert(token.connect(collector).transfer(retailer.address, 1n), token, "EnforcedPause", []);
      await expectRevert(single(), token, "EnforcedPause", []);
      await expectRevert(relay.transferWithAuthorizationBatch([auth]), token, "EnforcedPause", []);
      await expectRevert(pauser.pause(), token, "EnforcedPause", []);
      expect(await token.authorizationState(collector.address, auth.nonce)).toBe(false);

      expectEvent(await receiptOf(pauser.unpause()), token, "Unpaused", [governance.address]);
      await receiptOf(token.connect(operator).mint(collector.address, 1n, 2n));
      await receiptOf(token.connect(operator).mintBatch([collector.address], [1n], [3n]));
      await receiptOf(token.connect(collector).transfer(retailer.address, 1n));
      expect(await relay.transferWithAuthorizationBatch.staticCall([auth])).toBe(1n);
      await receiptOf(single());
      expect(await token.balanceOf(retailer.address)).toBe(tokens(1) + 1n);
      await expectRevert(pauser.unpause(), token, "ExpectedPause", []);
    });

    it("blocks burns while paused", async () => {
      await receiptOf(token.connect(governance).grantRole(BURNER, stranger.address));
      await receiptOf(token.connect(collector).approve(stranger.address, tokens(5)));
      await receiptOf(token.connect(governance).pause());
      await expectRevert(token.connect(stranger).burnFrom(collector.address, 1n), token, "EnforcedPause", []);
    });
  });

  describe("closed loop", () => {
    let closed: RewardToken;

    beforeEach(async () => {
      closed = await createProgram({ closedLoop: true, name: "Closed Credit", symbol: "CLC" });
      await receiptOf(closed.connect(operator).grantRole(ACCEPTOR, retailer.address));
      await receiptOf(closed.connect(operator).mintBatch([collector.address, collector2.address], [tokens(10), tokens(10)], [1n, 2n]));
    });

    it("reports whether the program is a closed loop", async () => {
      expect(await closed.closedLoop()).toBe(true);
      expect(await token.closedLoop()).toBe(false);
    });

    it("refuses a transfer between two non-acceptors", async () => {
      await expectRevert(closed.connect(collector).transfer(collector2.address, 1n), closed, "RewardTokenClosedLoop", [collector.address, collector2.address]);
      await receiptOf(closed.connect(collector).approve(stranger.address, tokens(1)));
      await expectRevert(closed.connect(stranger).transferFrom(collector.address, stranger.address, 1n), closed, "RewardTokenClosedLoop", [
        collector.address,
        stranger.address,
      ]);
      const auth = await authorize(closed, collector, collector2.address, 1n);
      const call = closed[VRS.transferWithAuthorization](auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, auth.v, auth.r, auth.s);
      await expectRevert(call, closed, "RewardTokenClosedLoop", [collector.address, collector2.address]);
      expect(await closed.balanceOf(collector2.address)).toBe(tokens(10));
    });

    it("allows transfers to and from an acceptor", async () => {
      await receiptOf(closed.connect(collector).transfer(retailer.address, tokens(4)));
      await receiptOf(closed.connect(retailer).transfer(collector2.address, tokens(1)));
      expect(await closed.balanceOf(retailer.address)).toBe(tokens(3));
      expect(await closed.balanceOf(collector2.address)).toBe(tokens(11));
    });

    it("stops allowing transfers to a retailer once its acceptor role is revoked", async () => {
      await receiptOf(closed.connect(operator).revokeRole(ACCEPTOR, retailer.address));
      await expectRevert(closed.connect(collector).transfer(retailer.address, 1n), closed, "RewardTokenClosedLoop", [collector.address, retailer.address]);
    });

    it("lets anything go in an open loop", async () => {
      await receiptOf(token.connect(collector).transfer(collector2.address, tokens(4)));
      await receiptOf(token.connect(collector2).transfer(stranger.address, tokens(1)));
      expect(await token.balanceOf(collector2.address)).toBe(tokens(3));
      expect(await token.balanceOf(stranger.address)).toBe(tokens(1));
    });
  });

  describe("initialisation", () => {
    const roles = () => ({ admin: stranger.address, minter: stranger.address, pauser: stranger.address, registrar: stranger.address, burner: stranger.address, clawback: stranger.address });

    it("refuses to initialise a clone a second time", async () => {
      await expectRevert(token.connect(stranger).initialize("Hijack", "HJK", true, roles()), token, "InvalidInitialization", []);
      expect(await token.name()).toBe("Plastic Credit");
      expect(await token.hasRole(ADMIN, stranger.address)).toBe(false);
    });

    it("refuses to initialise the implementation itself", async () => {
      await expectRevert(implementation.connect(stranger).initialize("Hijack", "HJK", false, roles()), implementation, "InvalidInitialization", []);
      expect(await implementation.hasRole(ADMIN, stranger.address)).toBe(false);
    });
  });
});
