import { ZeroAddress, ZeroHash } from "ethers";
import { describe, expect, it } from "vitest";
import { expectEvent, expectNoEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, RATE } from "./fixture.js";

const network = await connectNetwork();
const { ethers, networkHelpers, accounts, deployNetwork } = network;
const { governance, operator, retailer, stranger, collector, collector2 } = accounts;

/** Creates a program as the operator and returns the receipt and the new token, read from ProgramCreated. */
async function create(deployed: Awaited<ReturnType<typeof deployNetwork>>, name: string, symbol: string, closedLoop: boolean, rate: bigint) {
  const receipt = await receiptOf(deployed.factory.connect(operator).createProgram(name, symbol, closedLoop, rate));
  const created = expectEvent(receipt, deployed.factory, "ProgramCreated");
  const token = await ethers.getContractAt("RewardToken", String(created.args.token));
  return { receipt, token, programId: created.args.programId as bigint };
}

describe("ProgramFactory.createProgram", () => {
  it("emits ProgramCreated with id, token, name, symbol, loop and rate, and registers the token with the vault", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { factory, vault } = deployed;
    const { receipt, token, programId } = await create(deployed, "Plastic Credit", "PLC", true, RATE);

    expectEvent(receipt, factory, "ProgramCreated", [1n, token.target, "Plastic Credit", "PLC", true, RATE]);
    expectEvent(receipt, vault, "ProgramRegistered", [token.target, RATE]);
    expect(programId).toBe(1n);
    expect(await vault.redemptionRate(token.target)).toBe(RATE);
    expect([await token.name(), await token.symbol(), await token.decimals(), await token.closedLoop()]).toEqual([
      "Plastic Credit",
      "PLC",
      18n,
      true,
    ]);
  });

  it("keeps a registry of programs by id and by token", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { factory } = deployed;
    expect(await factory.programCount()).toBe(0n);
    const first = await create(deployed, "Plastic Credit", "PLC", false, RATE);
    const second = await create(deployed, "Glass Credit", "GLC", true, 2n * RATE);

    expect(await factory.programCount()).toBe(2n);
    expect(await factory.programToken(1n)).toBe(first.token.target);
    expect(await factory.programToken(2n)).toBe(second.token.target);
    expect(await factory.programIdOf(first.token.target)).toBe(1n);
    expect(await factory.programIdOf(second.token.target)).toBe(2n);
    expect(await factory.programIdOf(stranger.address)).toBe(0n);
    expect(first.token.target).not.toBe(second.token.target);
    await expectRevert(factory.programToken(0n), factory, "FactoryUnknownProgram", [0n]);
    await expectRevert(factory.programToken(3n), factory, "FactoryUnknownProgram", [3n]);
  });

  it("wires the network's roles on the clone and keeps none for itself", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { factory, vault } = deployed;
    const { token } = await create(deployed, "Plastic Credit", "PLC", false, RATE);
    const [admin, minter, pauser, registrar, burner, acceptor] = await Promise.all([
      token.DEFAULT_ADMIN_ROLE(),
      token.MINTER_ROLE(),
      token.PAUSER_ROLE(),
      token.REGISTRAR_ROLE(),
      token.BURNER_ROLE(),
      token.ACCEPTOR_ROLE(),
    ]);
    const holders: [string, string, boolean][] = [
      [admin, governance.address, true],
      [minter, operator.address, true],
      [pauser, governance.address, true],
      [registrar, operator.address, true],
      [burner, String(vault.target), true],
      [admin, operator.address, false],
      [minter, governance.address, false],
      [burner, operator.address, false],
    ];
    for (const [role, account, held] of holders) expect(await token.hasRole(role, account), `${role} ${account}`).toBe(held);
    for (const role of [admin, minter, pauser, registrar, burner]) expect(await token.hasRole(role, factory.target)).toBe(false);
    // The registrar admits acceptors.
    expect(await token.getRoleAdmin(acceptor)).toBe(registrar);
    await (await token.connect(operator).grantRole(acceptor, retailer.address)).wait();
    expect(await token.isAcceptor(retailer.address)).toBe(true);
  });

  it("initializes each clone once, and never the implementation", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { implementation } = deployed;
    const { token } = await create(deployed, "Plastic Credit", "PLC", false, RATE);
    const roles = { admin: stranger.address, minter: stranger.address, pauser: stranger.address, registrar: stranger.address, burner: stranger.address, clawback: stranger.address };
    await expectRevert(token.connect(stranger).initialize("Hijack", "HJK", false, roles), token, "InvalidInitialization", []);
    await expectRevert(implementation.connect(stranger).initialize("Hijack", "HJK", false, roles), token, "InvalidInitialization", []);
  });

  it("does not register a program created with rate zero", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { factory, vault } = deployed;
    const { receipt, token } = await create(deployed, "Loyalty Points", "LOY", true, 0n);
    expectEvent(receipt, factory, "ProgramCreated", [1n, token.target, "Loyalty Points", "LOY", true, 0n]);
    expectNoEvent(receipt, vault, "ProgramRegistered");
    expect(await vault.redemptionRate(token.target)).toBe(0n);
    await expectRevert(vault.solvency(token.target), vault, "VaultUnknownProgram", [token.target]);
  });

  it("lets only PROGRAM_CREATOR_ROLE create programs", async () => {
    const { factory } = await networkHelpers.loadFixture(deployNetwork);
    const role = await factory.PROGRAM_CREATOR_ROLE();
    expect(await factory.hasRole(role, operator.address)).toBe(true);
    for (const who of [governance, stranger]) {
      await expectRevert(factory.connect(who).createProgram("X", "X", false, RATE), factory, "AccessControlUnauthorizedAccount", [
        who.address,
        role,
      ]);
    }
    expect(await factory.programCount()).toBe(0n);
  });

  it("costs under a fifth of the gas of deploying a full RewardToken", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { receipt } = await create(deployed, "Plastic Credit", "PLC", false, RATE);
    const full = await ethers.deployContract("RewardToken");
    const deployment = full.deploymentTransaction();
    if (!deployment) throw new Error("no deployment transaction");
    const fullGas = (await receiptOf(deployment)).gasUsed;
    // The clone's gas includes initializing it and registering it with the vault; the full deployment's does not.
    expect(receipt.gasUsed * 5n).toBeLessThan(fullGas);
    console.info(`program clone + init + registration: ${receipt.gasUsed} gas; full RewardToken deployment: ${fullGas} gas`);
  });
});

describe("ProgramFactory.setNetworkRoles", () => {
  it("sets the roles of programs created afterwards and leaves existing programs alone", async () => {
    const deployed = await networkHelpers.loadFixture(deployNetwork);
    const { factory } = deployed;
    const before = await create(deployed, "Plastic Credit", "PLC", false, RATE);
    const receipt = await receiptOf(
      factory.connect(governance).setNetworkRoles(collector.address, collector2.address, collector.address, retailer.address),
    );
    expectEvent(receipt, factory, "NetworkRolesChanged", [collector.address, collector2.address, collector.address, retailer.address]);
    expect([await factory.programAdmin(), await factory.minter(), await factory.pauser(), await factory.registrar()]).toEqual([
      collector.address,
      collector2.address,
      collector.address,
      retailer.address,
    ]);

    const after = await create(deployed, "Glass Credit", "GLC", false, RATE);
    const minter = await after.token.MINTER_ROLE();
    expect(await after.token.hasRole(ZeroHash, collector.address)).toBe(true);
    expect(await after.token.hasRole(minter, collector2.address)).toBe(true);
    expect(await after.token.hasRole(await after.token.REGISTRAR_ROLE(), retailer.address)).toBe(true);
    expect(await after.token.hasRole(minter, operator.address)).toBe(false);
    expect(await before.token.hasRole(minter, operator.address)).toBe(true);
    expect(await before.token.hasRole(minter, collector2.address)).toBe(false);
  });

  it("refuses a zero address in any role", async () => {
    const { factory } = await networkHelpers.loadFixture(deployNetwork);
    const a = governance.address;
    const sets: [string, string, string, string][] = [
      [ZeroAddress, a, a, a],
      [a, ZeroAddress, a, a],
      [a, a, ZeroAddress, a],
      [a, a, a, ZeroAddress],
    ];
    for (const roles of sets) {
      await expectRevert(factory.connect(governance).setNetworkRoles(...roles), factory, "FactoryZeroAddress", []);
    }
  });

  it("refuses accounts without the admin role, naming the account and the role", async () => {
    const { factory } = await networkHelpers.loadFixture(deployNetwork);
    for (const who of [operator, stranger]) {
      await expectRevert(
        factory.connect(who).setNetworkRoles(who.address, who.address, who.address, who.address),
        factory,
        "AccessControlUnauthorizedAccount",
        [who.address, ZeroHash],
      );
    }
    expect(await factory.minter()).toBe(operator.address);
  });
});
