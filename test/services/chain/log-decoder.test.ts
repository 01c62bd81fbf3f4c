import { Wallet, type Log } from "ethers";
import { describe, expect, it } from "vitest";
import type { NetworkDeployment } from "../../../services/chain/address-book.js";
import { LogDecoder } from "../../../services/chain/log-decoder.js";
import { SponsorVault__factory } from "../../../types/ethers-contracts/index.js";

const address = () => Wallet.createRandom().address;
const vault = address();
const deployment: NetworkDeployment = {
  chainId: 31337,
  startBlock: 0,
  deployedAt: "2026-01-01T00:00:00.000Z",
  governance: address(),
  operator: address(),
  contracts: { stablecoin: address(), vault, factory: address(), tokenImplementation: address() },
};

describe("LogDecoder", () => {
  it("decodes the vault's RedemptionSkipped with its reason code, as the indexer stores it", () => {
    const iface = SponsorVault__factory.createInterface();
    const [program, retailer] = [address(), address()];
    const { topics, data } = iface.encodeEventLog("RedemptionSkipped", [program, retailer, 50n * 10n ** 18n, 5]);
    const log = { address: vault.toLowerCase(), topics, data, blockNumber: 7, blockHash: `0x${"ab".repeat(32)}`, index: 3, transactionHash: `0x${"cd".repeat(32)}` };

    const event = new LogDecoder(deployment).decode(log as unknown as Log);

    expect(event).toMatchObject({ contract: "vault", name: "RedemptionSkipped", address: vault, blockNumber: 7, logIndex: 3 });
    expect(event.args).toEqual({ program, retailer, tokens: "50000000000000000000", reason: "5" });
  });
});
