import hre from "hardhat";
import { describe, expect, it } from "vitest";
import RecircleLocalModule from "../../ignition/modules/RecircleLocal.js";

describe("the RecircleLocal Ignition module", () => {
  it("deploys a network whose operator can create a redeemable program with every role wired", async () => {
    const { ethers, ignition } = await hre.network.create();
    const [governance, operator] = await ethers.getSigners();
    const deployed = await ignition.deploy(RecircleLocalModule);
    const factory = await ethers.getContractAt("ProgramFactory", await deployed.factory.getAddress());
    const vault = await ethers.getContractAt("SponsorVault", await deployed.vault.getAddress());
    const stablecoin = await ethers.getContractAt("TestStablecoin", await deployed.stablecoin.getAddress());

    expect(await vault.stablecoin()).toBe(await stablecoin.getAddress());
    expect(await vault.hasRole(await vault.PROGRAM_REGISTRAR_ROLE(), await factory.getAddress())).toBe(true);
    expect(await vault.hasRole(await vault.DEFAULT_ADMIN_ROLE(), governance!.address)).toBe(true);
    expect(await factory.hasRole(await factory.PROGRAM_CREATOR_ROLE(), operator!.address)).toBe(true);
    expect(await factory.minter()).toBe(operator!.address);
    expect(await stablecoin.decimals()).toBe(6n);

    await (await factory.connect(operator!).createProgram("Ocean Plastic", "OCP", true, 10_000n)).wait();
    const token = await ethers.getContractAt("RewardToken", await factory.programToken(1n));
    expect(await token.name()).toBe("Ocean Plastic");
    expect(await token.closedLoop()).toBe(true);
    expect(await token.hasRole(await token.BURNER_ROLE(), await vault.getAddress())).toBe(true);
    expect(await token.hasRole(await token.MINTER_ROLE(), operator!.address)).toBe(true);
    expect(await token.hasRole(await token.DEFAULT_ADMIN_ROLE(), governance!.address)).toBe(true);
    // The operator's console pauses a token; governance, its admin, can take the role back.
    expect(await factory.pauser()).toBe(operator!.address);
    expect(await token.hasRole(await token.PAUSER_ROLE(), operator!.address)).toBe(true);
    expect(await vault.redemptionRate(await token.getAddress())).toBe(10_000n);
    expect(await vault.noticePeriod(await token.getAddress())).toBe(7n * 24n * 3_600n);

    const certificate = await ethers.getContractAt("LotCertificate", await deployed.lotCertificate.getAddress());
    expect(await certificate.hasRole(await certificate.CERTIFIER_ROLE(), operator!.address)).toBe(true);
    expect(await certificate.hasRole(await certificate.DEFAULT_ADMIN_ROLE(), governance!.address)).toBe(true);
  });

  it("sets the vault's default notice period from the noticePeriod parameter", async () => {
    const { ethers, ignition } = await hre.network.create();
    const deployed = await ignition.deploy(RecircleLocalModule, { parameters: { RecircleLocal: { noticePeriod: 3_600n } } });
    const vault = await ethers.getContractAt("SponsorVault", await deployed.vault.getAddress());
    expect(await vault.defaultNoticePeriod()).toBe(3_600n);
  });
});
