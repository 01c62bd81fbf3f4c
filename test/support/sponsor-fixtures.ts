import { parseUnits, Wallet, type HDNodeWallet } from "ethers";
import { signDepositRequest } from "../../services/chain/deposit-signatures.js";
import { TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { admit } from "./earn-fixtures.js";
import { governance, stablecoin, tusd } from "./redemption-fixtures.js";
import type { Stack } from "./stack.js";

/** A sponsor member with its own wallet, given gas and `balance` tUSD by the test deployment's bank. */
export async function sponsorWithFunds(stack: Stack, balance: string) {
  const wallet = Wallet.createRandom().connect(stack.chain.provider);
  await (await governance(stack).sendTransaction({ to: wallet.address, value: parseUnits("1", 18) })).wait();
  await (await stablecoin(stack).mint(wallet.address, tusd(balance))).wait();
  const member = await admit(stack, "sponsor", "Sabun Segar Nusantara", wallet.address);
  return { ...member, wallet };
}

/**
 * The sponsor's two signatures for POST /v1/deposits: the stablecoin's EIP-2612 permit to the vault and the
 * vault's Deposit authorization, each at its contract's next nonce, valid for an hour.
 */
export async function signDeposit(
  stack: Stack,
  sponsor: HDNodeWallet | Wallet,
  program: { id: number; token: string },
  amount: string,
  options: { signer?: HDNodeWallet | Wallet } = {},
) {
  const deadline = Math.floor(Date.now() / 1000) + 3600;
  const { vault, stablecoin: coinAddress } = stack.deployment.contracts;
  const coin = TestStablecoin__factory.connect(coinAddress, stack.chain.provider);
  const { permitSignature, depositSignature } = await signDepositRequest(options.signer ?? sponsor, {
    chainId: BigInt(stack.chain.chainId),
    vault,
    stablecoin: { address: coinAddress, name: await coin.name() },
    sponsor: sponsor.address,
    program: program.token,
    amount: tusd(amount),
    permitNonce: await coin.nonces(sponsor.address),
    depositNonce: await stack.chain.vault.nonces(sponsor.address),
    deadline: BigInt(deadline),
  });
  return { programId: program.id, amount, deadline, permitSignature, depositSignature };
}

/** The sponsor deposits with its own key, paying its own gas: approve, then deposit. */
export async function depositDirectly(stack: Stack, sponsor: HDNodeWallet | Wallet, token: string, amount: string) {
  const coin = TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, sponsor);
  await (await coin.approve(stack.deployment.contracts.vault, tusd(amount))).wait();
  const receipt = await (await stack.chain.vault.connect(sponsor).deposit(token, tusd(amount))).wait();
  return receipt!;
}
