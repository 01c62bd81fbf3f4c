/**
 * Gas per credited event (single mint, mintBatch of 1 to 500, to fresh and to existing holders) and per
 * payment settled by the batch relay (and by the signed batch, from keys and from passkey accounts), per redemption relayed alone (redeemWithPermit) and in batches of 1 to
 * 50 (redeemWithPermitBatch), of a sponsor's withdrawal with notice (announce, relayed announce, cancel, withdraw), per credit reversal, and of certifying a lot and checking a drop-off's proof,
 * measured on Hardhat's in-process chain with the deployed network.
 * Run: `npm run gas`.
 */
import { Wallet, parseUnits } from "ethers";
import hre from "hardhat";
import RecircleLocalModule from "../ignition/modules/RecircleLocal.js";
import { PERMIT_TYPES } from "../services/chain/eip2612.js";
import { ANNOUNCE_WITHDRAWAL_TYPES } from "../services/chain/withdrawal-signatures.js";
import { rewardTokenDomain, signTransferAuthorization, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../services/chain/eip3009.js";
import { buildEventTree, proofFor } from "../services/core/merkle.js";
import { PaymentNonces } from "../services/core/payment-nonces.js";
import { SoftwarePasskey, wrappedForCreation } from "../harness/lib/software-passkey.js";

const MINT_BATCHES = [1, 10, 100, 500];
const RELAY_BATCHES = [1, 10, 100];
const REDEMPTION_BATCHES = [1, 10, 50];
const ONE_TOKEN = parseUnits("1", 18);

const { ethers, ignition, networkHelpers } = await hre.network.create();
const [governance, operator, retailer] = await ethers.getSigners();
if (!governance || !operator || !retailer) throw new Error("the Hardhat network needs at least 3 accounts");

const deployed = await ignition.deploy(RecircleLocalModule);
const factory = await ethers.getContractAt("ProgramFactory", await deployed.factory.getAddress());
await (await factory.connect(operator).createProgram("Gas Probe", "GAS", false, 10_000n)).wait();
const token = (await ethers.getContractAt("RewardToken", await factory.programToken(1n))).connect(operator);
const chainId = (await ethers.provider.getNetwork()).chainId;
const domain = rewardTokenDomain("Gas Probe", chainId, await token.getAddress());

let nextEventId = 1n;
const eventIds = (count: number) => Array.from({ length: count }, () => nextEventId++);
const freshAddresses = (count: number) => Array.from({ length: count }, () => Wallet.createRandom().address);

interface Row {
  operation: string;
  items: number;
  holders: string;
  gasTotal: bigint;
  gasPerItem: number;
}
const rows: Row[] = [];
const record = (operation: string, items: number, holders: string, gasTotal: bigint) =>
  rows.push({ operation, items, holders, gasTotal, gasPerItem: Math.round(Number(gasTotal) / items) });

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

for (const holders of ["fresh", "existing"] as const) {
  const [to] = freshAddresses(1) as [string];
  if (holders === "existing") await gasOf(token.mint(to, ONE_TOKEN, nextEventId++));
  const [eventId] = eventIds(1) as [bigint];
  record("mint", 1, holders, await gasOf(token.mint(to, ONE_TOKEN, eventId)));
}

for (const size of MINT_BATCHES) {
  const recipients = freshAddresses(size);
  const amounts = recipients.map(() => ONE_TOKEN);
  record("mintBatch", size, "fresh", await gasOf(token.mintBatch(recipients, amounts, eventIds(size))));
  record("mintBatch", size, "existing", await gasOf(token.mintBatch(recipients, amounts, eventIds(size))));
}

// Payments: each payer is a funded collector wallet that never sends a transaction itself. A payer's first
// nonce of a prefix creates its bitmap word; later ones ("repeat payer") only set a bit in it.
const validBefore = BigInt(await networkHelpers.time.latest()) + 3_600n;
for (const size of RELAY_BATCHES) {
  const payers = Array.from({ length: size }, () => ({ wallet: Wallet.createRandom(), nonces: new PaymentNonces() }));
  await gasOf(token.mintBatch(payers.map((p) => p.wallet.address), payers.map(() => 10n * ONE_TOKEN), eventIds(size)));
  for (const payerKind of ["first payment", "repeat payer"]) {
    const authorizations = await Promise.all(
      payers.map(({ wallet, nonces }) =>
        signTransferAuthorization(wallet, domain, {
          from: wallet.address,
          to: retailer.address,
          value: ONE_TOKEN,
          validAfter: 0n,
          validBefore,
          nonce: nonces.take(),
        }),
      ),
    );
    record("transferWithAuthorizationBatch", size, payerKind, await gasOf(token.transferWithAuthorizationBatch(authorizations)));
  }
}

// Payments from passkey accounts (ERC-1271, a WebAuthn assertion checked through the P-256 precompile) in the
// signed batch, next to keys' in the same batch: the first creates each account in front of its payment (an
// ERC-6492-wrapped signature), at an address credited before the account existed.
const accounts = await ethers.deployContract("CollectorAccountFactory");
for (const signer of ["key", "passkey"] as const) {
  const payers = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const passkey = new SoftwarePasskey();
      const wallet = Wallet.createRandom();
      const address = signer === "key" ? wallet.address : await accounts.accountAddress(passkey.qx, passkey.qy);
      return { wallet, passkey, address, nonces: new PaymentNonces() };
    }),
  );
  await gasOf(token.mintBatch(payers.map((p) => p.address), payers.map(() => 10n * ONE_TOKEN), eventIds(payers.length)));
  for (const payerKind of ["first payment", "repeat payer"]) {
    const authorizations = await Promise.all(
      payers.map(async ({ wallet, passkey, address, nonces }) => {
        const message = { from: address, to: retailer.address, value: ONE_TOKEN, validAfter: 0n, validBefore, nonce: nonces.take() };
        if (signer === "key") return { ...message, signature: await wallet.signTypedData(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message) };
        const assertion = passkey.assert(ethers.TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message));
        if (payerKind === "repeat payer") return { ...message, signature: assertion };
        return { ...message, signature: wrappedForCreation(String(accounts.target), passkey, assertion) };
      }),
    );
    const holders = `${signer}, ${payerKind === "first payment" && signer === "passkey" ? "first (creates account)" : payerKind}`;
    record("transferWithSignedAuthorizationBatch", payers.length, holders, await gasOf(token.transferWithSignedAuthorizationBatch(authorizations)));
  }
}

// Redemptions: retailers (acceptors holding tokens, never sending a transaction) sign permits to the vault; a
// relayer sends them one redeemWithPermit each, or redeemWithPermitBatch. Each draws from one deposit.
const vault = (await ethers.getContractAt("SponsorVault", await deployed.vault.getAddress())).connect(operator);
const stablecoin = await ethers.getContractAt("TestStablecoin", await deployed.stablecoin.getAddress());
await gasOf(stablecoin.connect(governance).mint(governance.address, parseUnits("1000000", 6)));
await gasOf(stablecoin.connect(governance).approve(vault.target, parseUnits("1000000", 6)));
await gasOf(vault.connect(governance).deposit(token.target, parseUnits("1000000", 6)));
const permitDomain = { ...domain };
async function redemptionsBy(count: number) {
  const wallets = Array.from({ length: count }, () => Wallet.createRandom());
  for (const wallet of wallets) await gasOf(token.grantRole(await token.ACCEPTOR_ROLE(), wallet.address));
  await gasOf(token.mintBatch(wallets.map((w) => w.address), wallets.map(() => 10n * ONE_TOKEN), eventIds(count)));
  return Promise.all(
    wallets.map(async (wallet) => {
      const message = { owner: wallet.address, spender: vault.target, value: ONE_TOKEN, nonce: 0n, deadline: validBefore };
      const { v, r, s } = ethers.Signature.from(await wallet.signTypedData(permitDomain, PERMIT_TYPES, message));
      return { program: String(token.target), retailer: wallet.address, tokens: ONE_TOKEN, deadline: validBefore, v, r, s };
    }),
  );
}
// The vault's first redemption ever also creates its counter and the treasury's balance: not measured.
for (const measured of [false, true]) {
  const [p] = (await redemptionsBy(1)) as [Awaited<ReturnType<typeof redemptionsBy>>[number]];
  const gas = await gasOf(vault.redeemWithPermit(p.program, p.retailer, p.tokens, p.deadline, p.v, p.r, p.s));
  if (measured) record("redeemWithPermit", 1, "first redemption", gas);
}
for (const size of REDEMPTION_BATCHES) {
  record("redeemWithPermitBatch", size, "first redemption", await gasOf(vault.redeemWithPermitBatch(await redemptionsBy(size))));
}

// Withdrawal with notice: a sponsor announces (itself, or relayed with its signature), cancels, and after the
// notice (set to none here) anyone sends withdraw, paying what is left of the deposit back to the sponsor.
await gasOf(vault.connect(governance).setNoticePeriod(token.target, 0));
await gasOf(stablecoin.connect(governance).mint(governance.address, parseUnits("20", 6)));
await gasOf(stablecoin.connect(governance).approve(vault.target, parseUnits("20", 6)));
const depositIds: bigint[] = [];
for (let i = 0; i < 2; i++) {
  await gasOf(vault.connect(governance).deposit(token.target, parseUnits("10", 6)));
  depositIds.push((await vault.counts())[0]);
}
const [announcedDirectly, announcedBySig] = depositIds as [bigint, bigint];
record("announceWithdrawal", 1, "sponsor sends", await gasOf(vault.connect(governance).announceWithdrawal(announcedDirectly)));
record("cancelWithdrawal", 1, "sponsor sends", await gasOf(vault.connect(governance).cancelWithdrawal(announcedDirectly)));
await gasOf(vault.connect(governance).announceWithdrawal(announcedDirectly));
const vaultDomainOf = { name: "SponsorVault", version: "1", chainId, verifyingContract: String(vault.target) };
const announcement = { sponsor: governance.address, depositId: announcedBySig, nonce: await vault.nonces(governance.address), deadline: validBefore };
const signature = await governance.signTypedData(vaultDomainOf, ANNOUNCE_WITHDRAWAL_TYPES, announcement);
record("announceWithdrawalBySig", 1, "relayed", await gasOf(vault.announceWithdrawalBySig(announcedBySig, validBefore, signature)));
record("withdraw", 1, "anyone sends", await gasOf(vault.withdraw(announcedDirectly)));

// Corrections: reversing a credit its holder still has (a burn) and one already spent (the shortfall only).
for (const holders of ["unspent", "spent"] as const) {
  const wallet = Wallet.createRandom().connect(ethers.provider);
  const [eventId] = eventIds(1) as [bigint];
  await gasOf(token.mint(wallet.address, ONE_TOKEN, eventId));
  if (holders === "spent") {
    await gasOf(operator.sendTransaction({ to: wallet.address, value: parseUnits("1", 18) }));
    await gasOf(token.connect(wallet).transfer(retailer.address, ONE_TOKEN));
  }
  record("reverseCredit", 1, holders, await gasOf(token.reverseCredit(eventId, wallet.address, ONE_TOKEN)));
}

// Lots: certify costs the same for any lot size (one root); checking a drop-off grows with log2(size).
const certificate = (await ethers.getContractAt("LotCertificate", await deployed.lotCertificate.getAddress())).connect(operator);
for (const [lotId, size] of [[1n, 10], [2n, 1_000], [3n, 10_000]] as const) {
  const tree = buildEventTree(Array.from({ length: size }, (_, i) => BigInt(i + 1)));
  const to = Wallet.createRandom().address;
  record("certify (lot)", size, "fresh", await gasOf(certificate.certify(lotId, await token.getAddress(), tree.root, "PET", 1_000_000n, to)));
  const proof = proofFor(tree, 1n); // the first leaf's proof is a full path: log2(size) rounded up
  // As a transaction would pay it (21,000 of it the base cost); a buyer's eth_call costs nothing.
  const gas = await certificate.contains.estimateGas(lotId, 1n, proof);
  rows.push({ operation: "contains (view)", items: size, holders: `proof of ${proof.length}`, gasTotal: gas, gasPerItem: Number(gas) });
}

console.log("\nGas on Hardhat's EVM (osaka), solc 0.8.34, optimizer 10,000 runs\n");
console.table(
  rows.map((row) => ({
    operation: row.operation,
    "items per tx": row.items,
    "recipients / payers": row.holders,
    "gas per tx": row.gasTotal.toString(),
    "gas per item": row.gasPerItem,
  })),
);
const perItem = (operation: string, items: number, holders: string) =>
  rows.find((r) => r.operation === operation && r.items === items && r.holders === holders)?.gasPerItem ?? NaN;
const worstMint = Math.max(...rows.filter((r) => r.operation === "mintBatch" && r.items >= 100).map((r) => r.gasPerItem));
const relay = "transferWithAuthorizationBatch";
console.log(`\nmintBatch of 100+: at most ${worstMint} gas per credited event (target: 35,000)`);
console.log(
  `relay of 100: ${perItem(relay, 100, "repeat payer")} gas per payment from a payer's next nonce, ` +
    `${perItem(relay, 100, "first payment")} for a payer's first (target: 40,000)`,
);
console.log(
  `redemptions: ${perItem("redeemWithPermit", 1, "first redemption")} gas alone, ` +
    REDEMPTION_BATCHES.map((n) => `${perItem("redeemWithPermitBatch", n, "first redemption")} each in a batch of ${n}`).join(", "),
);
if (worstMint > 35_000 || perItem(relay, 100, "repeat payer") > 40_000) process.exitCode = 1;
