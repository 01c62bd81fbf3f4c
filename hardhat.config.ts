import { createRequire } from "node:module";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatIgnitionEthers from "@nomicfoundation/hardhat-ignition-ethers";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { configVariable, defineConfig } from "hardhat/config";

// Hardhat would otherwise download solc from the internet. The npm `solc` package ships the
// same compiler as WebAssembly; Hardhat does not check that `version` matches the file, so the
// two are kept equal by hand (and by the pinned version in package.json).
const SOLC_VERSION = "0.8.34";
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = (optimizerRuns: number) => ({
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    evmVersion: "osaka",
    viaIR: true,
    optimizer: { enabled: true, runs: optimizerRuns },
  },
});

export default defineConfig({
  plugins: [hardhatEthers, hardhatIgnitionEthers, hardhatNetworkHelpers, hardhatTypechain],
  solidity: {
    profiles: {
      default: compiler(10_000),
      production: compiler(10_000),
    },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    // The node CHAIN_RPC_URL names, with the node's own (unlocked) accounts: a dev node elsewhere, such as
    // the `chain` service of docker-compose.yml. Real chains get a network of their own with a key.
    rpc: {
      type: "http",
      chainType: "l1",
      url: configVariable("CHAIN_RPC_URL"),
    },
  },
});
