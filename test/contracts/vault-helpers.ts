import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { RewardToken, SponsorVault, TestStablecoin } from "../../types/ethers-contracts/index.js";
import { receiptOf } from "./assertions.js";
import type { connectNetwork } from "./fixture.js";

export type Network = Awaited<ReturnType<typeof connectNetwork>>;
export type Deployed = Awaited<ReturnType<Network["deployNetwork"]>>;
export type Signer = HardhatEthersSigner;

/** Mint event ids only need to be unique; a counter that survives snapshot reverts keeps them so. */
let nextEventId = 1_000_000n;

/**
 * The moves every vault test makes, done the way the network's roles do them: governance prints test
 * dollars, sponsors approve and deposit, the operator admits retailers and mints them tokens.
 */
export function vaultActions(network: Network, deployed: Deployed, program: RewardToken) {
  const { governance, operator } = network.accounts;
  const vault: SponsorVault = deployed.vault;
  const stablecoin: TestStablecoin = deployed.stablecoin;

  return {
    /** Gives `sponsor` `amount` test dollars approved to the vault. */
    async fund(sponsor: Signer, amount: bigint) {
      await (await stablecoin.connect(governance).mint(sponsor.address, amount)).wait();
      await (await stablecoin.connect(sponsor).approve(vault.target, amount)).wait();
    },

    /** Funds `sponsor` and deposits `amount` for the program; returns the receipt. */
    async deposit(sponsor: Signer, amount: bigint) {
      await this.fund(sponsor, amount);
      return receiptOf(vault.connect(sponsor).deposit(program.target, amount));
    },

    /** Makes `retailer` an acceptor of the program (the operator is its registrar). */
    async admit(retailer: Signer) {
      await (await program.connect(operator).grantRole(await program.ACCEPTOR_ROLE(), retailer.address)).wait();
    },

    /** Mints `amount` tokens to `holder` for a fresh event id. */
    async credit(holder: Signer, amount: bigint) {
      await (await program.connect(operator).mint(holder.address, amount, nextEventId++)).wait();
    },

    /** Mints `amount` tokens to `retailer` and approves them to the vault, ready to redeem. */
    async creditForRedemption(retailer: Signer, amount: bigint) {
      await this.credit(retailer, amount);
      await (await program.connect(retailer).approve(vault.target, amount)).wait();
    },
  };
}

/** Stablecoin balances of the given addresses, in order. */
export async function balancesOf(stablecoin: TestStablecoin, ...who: readonly { address: string }[]) {
  return Promise.all(who.map((w) => stablecoin.balanceOf(w.address)));
}
