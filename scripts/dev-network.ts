import { type JsonRpcProvider, Wallet } from "ethers";
import type { NetworkDeployment } from "../services/chain/address-book.js";
import {
  CollectorAccountFactory__factory,
  LotCertificate__factory,
  ProgramFactory__factory,
  RewardToken__factory,
  SponsorVault__factory,
  TestStablecoin__factory,
} from "../types/ethers-contracts/index.js";

/** Hardhat's dev account #0 (a published key): governance and deployer on a dev chain. */
export const DEV_GOVERNANCE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/**
 * Deploys a fresh network wired as the Ignition module wires it (test/contracts/ignition-deployment checks
 * the module itself), with the dev operator as minter, registrar and program creator: in a few seconds and
 * without Ignition's journal, for the integration tests and `npm run bench`, each on a node of its own.
 */
export async function deployTestNetwork(provider: JsonRpcProvider, operator: string): Promise<NetworkDeployment> {
  const governance = new Wallet(DEV_GOVERNANCE_KEY, provider);
  const startBlock = await provider.getBlockNumber();
  const stablecoin = await new TestStablecoin__factory(governance).deploy(governance.address);
  await stablecoin.waitForDeployment();
  const implementation = await new RewardToken__factory(governance).deploy();
  await implementation.waitForDeployment();
  const vault = await new SponsorVault__factory(governance).deploy(
    stablecoin.target,
    governance.address,
    governance.address,
    50n,
    1_000_000n,
  );
  await vault.waitForDeployment();
  const factory = await new ProgramFactory__factory(governance).deploy(
    implementation.target,
    vault.target,
    governance.address,
    operator,
    operator,
    operator,
  );
  await factory.waitForDeployment();
  // As the module: the operator pauses programs' tokens from its console.
  await (await factory.setNetworkRoles(governance.address, operator, operator, operator)).wait();
  await (await vault.grantRole(await vault.PROGRAM_REGISTRAR_ROLE(), factory.target)).wait();
  const lotCertificate = await new LotCertificate__factory(governance).deploy(governance.address, operator, "");
  await lotCertificate.waitForDeployment();
  const collectorAccounts = await new CollectorAccountFactory__factory(governance).deploy();
  await collectorAccounts.waitForDeployment();
  return {
    chainId: Number((await provider.getNetwork()).chainId),
    startBlock,
    deployedAt: new Date().toISOString(),
    governance: governance.address,
    operator,
    contracts: {
      stablecoin: String(stablecoin.target),
      vault: String(vault.target),
      factory: String(factory.target),
      tokenImplementation: String(implementation.target),
      lotCertificate: String(lotCertificate.target),
      collectorAccounts: String(collectorAccounts.target),
    },
  };
}
