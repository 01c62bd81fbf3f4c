import { AbiCoder, concat, hexlify, Interface, randomBytes, type TypedDataDomain, Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { SIGNED, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../services/chain/eip3009.js";
import type { CollectorAccountFactory, MaliciousSigner, RewardToken } from "../../types/ethers-contracts/index.js";
import { ERC6492_MAGIC, SoftwarePasskey } from "../../harness/lib/software-passkey.js";
import { eventsNamed, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, retailer, stranger } = accounts;
const { time } = networkHelpers;
const Skip = { InvalidSignature: 3n } as const;
/** RewardToken's bound on one contract signer's ERC-1271 answer (ACCOUNT_CHECK_GAS). */
const ACCOUNT_CHECK_GAS = 300_000n;
/** MaliciousSigner's behaviours. */
const BAD = [
  ["reverts with a long reason", 1],
  ["burns all the gas it is given", 2],
  ["answers with a 100 kB return bomb", 3],
] as const;
const JUNK = hexlify(randomBytes(65));
const FACTORY = new Interface(["function createAccount(bytes32 qx, bytes32 qy)"]);

let factory: CollectorAccountFactory;
let token: RewardToken;
let domain: TypedDataDomain;
let nextEventId = 1n;
beforeAll(async () => {
  factory = (await ethers.deployContract("CollectorAccountFactory")) as unknown as CollectorAccountFactory;
  token = await (await deployNetwork()).createProgram();
  domain = { name: await token.name(), version: "1", chainId: (await ethers.provider.getNetwork()).chainId, verifyingContract: await token.getAddress() };
});

const deploySigner = async (behaviour: number) =>
  (await ethers.deployContract("MaliciousSigner", [behaviour])) as unknown as MaliciousSigner;

async function credit(to: string, amount: bigint) {
  await receiptOf(token.connect(operator).mint(to, amount, nextEventId++));
}

/** An authorization from `from` to the retailer, with `signature` (a misbehaving contract's is anything at all). */
async function authorization(from: string, value: bigint, signature: string) {
  return { from, to: retailer.address, value, validAfter: 0n, validBefore: BigInt(await time.latest()) + 3600n, nonce: hexlify(randomBytes(32)), signature };
}

async function keySigned(wallet: Pick<Wallet, "address" | "signTypedData">, value: bigint) {
  const a = await authorization(wallet.address, value, "0x");
  return { ...a, signature: await wallet.signTypedData(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, a) };
}

async function passkeySigned(passkey: SoftwarePasskey, account: string, value: bigint) {
  const a = await authorization(account, value, "0x");
  return { ...a, signature: passkey.assert(ethers.TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, a)) };
}

type Signed = Awaited<ReturnType<typeof authorization>>;
const transfer = (a: Signed) => token[SIGNED.transferWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.signature);

describe("a contract that says yes to everything", () => {
  it("speaks for its own tokens only: not for a key, nor for an account it names itself the factory of", async () => {
    const yes = await deploySigner(0);
    await credit(await yes.getAddress(), tokens(3));
    await receiptOf(transfer(await authorization(await yes.getAddress(), tokens(1), JUNK)));
    expect(await token.balanceOf(await yes.getAddress())).toBe(tokens(2));

    const key = Wallet.createRandom();
    await credit(key.address, tokens(3));
    await expectRevert(transfer(await authorization(key.address, tokens(1), JUNK)), token, "ERC3009InvalidSignature", []);

    // An account credited before it exists, and a wrapper that names the yes-sayer as the factory that makes it.
    const passkey = new SoftwarePasskey();
    const victim = await factory.accountAddress(passkey.qx, passkey.qy);
    await credit(victim, tokens(3));
    const creation = FACTORY.encodeFunctionData("createAccount", [passkey.qx, passkey.qy]);
    const wrapped = concat([AbiCoder.defaultAbiCoder().encode(["address", "bytes", "bytes"], [await yes.getAddress(), creation, JUNK]), ERC6492_MAGIC]);
    await expectRevert(transfer(await authorization(victim, tokens(1), wrapped)), token, "ERC3009InvalidSignature", []);
    expect(await ethers.provider.getCode(victim)).toBe("0x");
    expect([await token.balanceOf(key.address), await token.balanceOf(victim)]).toEqual([tokens(3), tokens(3)]);
  });
});

describe.each(BAD)("a contract signer that %s", (_, behaviour) => {
  it("is refused by every bytes form, and keeps its tokens", async () => {
    const bad = await deploySigner(behaviour);
    const from = await bad.getAddress();
    await credit(from, tokens(5));
    const a = await authorization(from, tokens(1), JUNK);
    await expectRevert(transfer(a), token, "ERC3009InvalidSignature", []);
    const receive = token.connect(retailer)[SIGNED.receiveWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.signature);
    await expectRevert(receive, token, "ERC3009InvalidSignature", []);
    await expectRevert(token[SIGNED.cancelAuthorization](from, a.nonce, JUNK), token, "ERC3009InvalidSignature", []);
    const deadline = BigInt(await time.latest()) + 600n;
    await expectRevert(token[SIGNED.permit](from, stranger.address, tokens(5), deadline, JUNK), token, "RewardTokenInvalidPermitSignature", [from]);
    expect(await token.balanceOf(from)).toBe(tokens(5));
    expect(await token.authorizationState(from, a.nonce)).toBe(false);
    expect(await token.allowance(from, stranger.address)).toBe(0n);
  });

  it("creates nothing when a wrapper names it as the factory of an account not made yet", async () => {
    const bad = await deploySigner(behaviour);
    const passkey = new SoftwarePasskey();
    const account = await factory.accountAddress(passkey.qx, passkey.qy);
    await credit(account, tokens(2));
    const honest = await passkeySigned(passkey, account, tokens(1));
    const creation = FACTORY.encodeFunctionData("createAccount", [passkey.qx, passkey.qy]);
    const wrapped = concat([AbiCoder.defaultAbiCoder().encode(["address", "bytes", "bytes"], [await bad.getAddress(), creation, honest.signature]), ERC6492_MAGIC]);
    const receipt = await receiptOf(token.transferWithSignedAuthorizationBatch([{ ...honest, signature: wrapped }], { gasLimit: 2_000_000n }));
    expect(eventsNamed(receipt, token, "AuthorizationSkipped").map((e) => e.args.reason)).toEqual([Skip.InvalidSignature]);
    expect(receipt.gasUsed).toBeLessThan(ACCOUNT_CHECK_GAS + 100_000n);
    expect(await ethers.provider.getCode(account)).toBe("0x");
  });
});

describe("the signed batch relay among misbehaving signers", () => {
  it("skips each, at no more than its bounded check, and settles the honest payments around them", async () => {
    const key = Wallet.createRandom();
    const passkey = new SoftwarePasskey();
    await receiptOf(factory.createAccount(passkey.qx, passkey.qy));
    const account = await factory.accountAddress(passkey.qx, passkey.qy);
    const bad = await Promise.all(BAD.map(([, behaviour]) => deploySigner(behaviour)));
    for (const holder of [key.address, account, ...(await Promise.all(bad.map((b) => b.getAddress())))]) await credit(holder, tokens(5));

    const honest = async () => [await keySigned(key, tokens(1)), await passkeySigned(passkey, account, tokens(1))];
    const alone = await receiptOf(token.transferWithSignedAuthorizationBatch(await honest(), { gasLimit: 3_000_000n }));
    const [first, second] = await honest();
    const badOnes = await Promise.all(bad.map(async (b) => authorization(await b.getAddress(), tokens(1), JUNK)));
    const batch = [first!, ...badOnes, second!];
    const receipt = await receiptOf(token.transferWithSignedAuthorizationBatch(batch, { gasLimit: 3_000_000n }));

    expect(eventsNamed(receipt, token, "AuthorizationUsed").map((e) => e.args.authorizer)).toEqual([key.address, account]);
    expect(eventsNamed(receipt, token, "AuthorizationSkipped").map((e) => [e.args.authorizer, e.args.reason])).toEqual(
      badOnes.map((a) => [a.from, Skip.InvalidSignature]),
    );
    // Each bad signer costs the relayer its bounded check and the call around it, never the batch's gas.
    expect(receipt.gasUsed - alone.gasUsed).toBeLessThan(3n * (ACCOUNT_CHECK_GAS + 30_000n));
    expect([await token.balanceOf(key.address), await token.balanceOf(account)]).toEqual([tokens(3), tokens(3)]);
    for (const b of bad) expect(await token.balanceOf(await b.getAddress())).toBe(tokens(5));
  });

  it("refuses a batch whole when too little gas is left to give a contract signer its whole check", async () => {
    const passkey = new SoftwarePasskey();
    await receiptOf(factory.createAccount(passkey.qx, passkey.qy));
    const account = await factory.accountAddress(passkey.qx, passkey.qy);
    await credit(account, tokens(2));
    const a = await passkeySigned(passkey, account, tokens(1));
    const [needed] = await expectRevert(token.transferWithSignedAuthorizationBatch([a], { gasLimit: 200_000n }), token, "RewardTokenSignatureCheckStarved");
    expect(needed).toBeGreaterThan(ACCOUNT_CHECK_GAS);
    expect(await token.authorizationState(account, a.nonce)).toBe(false);
    // Given the gas, the same payment settles.
    await receiptOf(token.transferWithSignedAuthorizationBatch([a], { gasLimit: 1_000_000n }));
    expect(await token.balanceOf(account)).toBe(tokens(1));
  });
});
