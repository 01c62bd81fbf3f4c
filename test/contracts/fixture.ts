import { parseUnits } from "ethers";
import hre from "hardhat";
import type { RewardToken } from "../../types/ethers-contracts/index.js";

/** Stablecoin units: the test stablecoin has 6 decimals. */
export const usd = (dollars: string | number) => parseUnits(String(dollars), 6);
/** Reward token units: every RewardToken has 18 decimals. */
export const tokens = (amount: string | number) => parseUnits(String(amount), 18);

export const FEE_BPS = 50n;
export const MIN_DEPOSIT = 1_000_000n;
/** 0.01 tUSD per whole token, in stablecoin units. */
export const RATE = 10_000n;

/**
 * One in-process Hardhat chain per test file, the whole network deployed on it as the Ignition module
 * wires it, with named accounts for every role. Tests take a snapshot through `loadFixture`.
 */
export async function connectNetwork() {
  const connection = await hre.network.create();
  const { ethers, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [governance, operator, treasury, sponsorA, sponsorB, retailer, retailer2, collector, collector2, stranger] =
    signers as [typeof signers[number], ...typeof signers];
  const named = { governance, operator, treasury, sponsorA, sponsorB, retailer, retailer2, collector, collector2, stranger };
  for (const [role, signer] of Object.entries(named)) {
    if (!signer) throw new Error(`the Hardhat network has no account for ${role}`);
  }
  const accounts = named as { [K in keyof typeof named]: NonNullable<(typeof named)[K]> };

  async function deployNetwork() {
    const { governance, operator, treasury } = accounts;
    const stablecoin = await ethers.deployContract("TestStablecoin", [governance.address]);
    const implementation = await ethers.deployContract("RewardToken");
    const vault = await ethers.deployContract("SponsorVault", [
      await stablecoin.getAddress(),
      governance.address,
      treasury.address,
      FEE_BPS,
      MIN_DEPOSIT,
    ]);
    const factory = await ethers.deployContract("ProgramFactory", [
      await implementation.getAddress(),
      await vault.getAddress(),
      governance.address,
      operator.address,
      operator.address,
      operator.address,
    ]);
    await vault.grantRole(await vault.PROGRAM_REGISTRAR_ROLE(), await factory.getAddress());

    /** Creates a program through the factory, as the operator does, and returns its token. */
    async function createProgram(options: { closedLoop?: boolean; rate?: bigint; name?: string; symbol?: string } = {}) {
      const { closedLoop = false, rate = RATE, name = "Plastic Credit", symbol = "PLC" } = options;
      const tx = await factory.connect(operator).createProgram(name, symbol, closedLoop, rate);
      await tx.wait();
      const token = await factory.programToken(await factory.programCount());
      return ethers.getContractAt("RewardToken", token) as Promise<RewardToken>;
    }

    return { stablecoin, implementation, vault, factory, createProgram };
  }

  return { connection, ethers, networkHelpers, accounts, deployNetwork };
}
