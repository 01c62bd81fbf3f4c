/**
 * Deploys the network with Hardhat Ignition to the chain given by `--network` and records it in the address
 * book. Run: `npx hardhat run --network localhost scripts/deploy.ts`.
 *
 * A development chain (id 31337) gets RecircleLocal, test stablecoin included. Any other chain gets the
 * Recircle module with the parameters in ignition/parameters/<chainId>.json (at least `stablecoin`).
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import hre from "hardhat";
import RecircleModule from "../ignition/modules/Recircle.js";
import RecircleLocalModule from "../ignition/modules/RecircleLocal.js";
import { isDeployedOn, readAddressBook, recordDeployment } from "../services/chain/address-book.js";
import { addressBookPath } from "../services/config.js";

const DEV_CHAIN_ID = 31337;

const { ethers, ignition } = await hre.network.create();
const chainId = Number((await ethers.provider.getNetwork()).chainId);
const getCode = (address: string) => ethers.provider.getCode(address);

const book = addressBookPath();
const recorded = (await readAddressBook(book))[String(chainId)];
if (recorded && (await isDeployedOn(recorded, getCode))) {
  console.log(`recircle is already deployed on chain ${chainId}: factory ${recorded.contracts.factory}`);
} else {
  const journal = `${hre.config.paths.ignition}/deployments/chain-${chainId}`;
  if (chainId === DEV_CHAIN_ID && existsSync(journal)) {
    // A restarted dev node has forgotten everything Ignition remembers; start its journal afresh.
    await rm(journal, { recursive: true });
  }
  const startBlock = await ethers.provider.getBlockNumber();
  const deployed =
    chainId === DEV_CHAIN_ID
      ? await ignition.deploy(RecircleLocalModule, { displayUi: true })
      : await ignition.deploy(RecircleModule, {
          displayUi: true,
          parameters: `${hre.config.paths.ignition}/parameters/${chainId}.json`,
        });
  const factory = await ethers.getContractAt("ProgramFactory", await deployed.factory.getAddress());
  const deployment = {
    chainId,
    startBlock,
    deployedAt: new Date().toISOString(),
    governance: await factory.programAdmin(),
    operator: await factory.minter(),
    contracts: {
      stablecoin: await deployed.stablecoin.getAddress(),
      vault: await deployed.vault.getAddress(),
      factory: await deployed.factory.getAddress(),
      tokenImplementation: await deployed.tokenImplementation.getAddress(),
      lotCertificate: await deployed.lotCertificate.getAddress(),
      collectorAccounts: await deployed.collectorAccounts.getAddress(),
    },
  };
  await recordDeployment(deployment, book);
  console.log(`recircle deployed on chain ${chainId}:`, deployment.contracts);
}
