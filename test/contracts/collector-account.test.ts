import { AbiCoder, keccak256, toBeHex, toUtf8Bytes, Wallet, ZeroHash } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import type { CollectorAccountFactory, P256GasProbe, RewardToken } from "../../types/ethers-contracts/index.js";
import { SoftwarePasskey } from "../../harness/lib/software-passkey.js";
import { accountImplementationOf, collectorAccountAddress } from "../../services/core/counterfactual-account.js";
import { eventsNamed, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, accounts, deployNetwork } = await connectNetwork();
const { operator, collector, stranger } = accounts;
const MAGIC = "0x1626ba7e";
const INVALID = "0xffffffff";
/** P-256's field prime and curve constant b: the implementation's placeholder key is recomputed from them. */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

let factory: CollectorAccountFactory;
let probe: P256GasProbe;
let token: RewardToken;
beforeAll(async () => {
  factory = (await ethers.deployContract("CollectorAccountFactory")) as unknown as CollectorAccountFactory;
  probe = (await ethers.deployContract("P256GasProbe")) as unknown as P256GasProbe;
  const network = await deployNetwork();
  token = await network.createProgram();
});

const accountAt = (address: string) => ethers.getContractAt("CollectorAccount", address);
const digest = (text: string) => keccak256(toUtf8Bytes(text));

async function createdAccount(passkey: SoftwarePasskey) {
  await receiptOf(factory.connect(stranger).createAccount(passkey.qx, passkey.qy));
  return accountAt(await factory.accountAddress(passkey.qx, passkey.qy));
}

describe("a collector's passkey account", () => {
  it("has an address before it exists, holds tokens credited there, and is created at it once", async () => {
    const passkey = new SoftwarePasskey();
    const predicted = await factory.accountAddress(passkey.qx, passkey.qy);
    expect(await ethers.provider.getCode(predicted)).toBe("0x");
    await receiptOf(token.connect(operator).mint(predicted, tokens(5), 1n));

    const created = await receiptOf(factory.connect(stranger).createAccount(passkey.qx, passkey.qy));
    const [event] = eventsNamed(created, factory, "CollectorAccountCreated");
    expect(event!.args.toObject()).toEqual({ account: predicted, qx: passkey.qx, qy: passkey.qy });
    expect(await ethers.provider.getCode(predicted)).not.toBe("0x");
    const account = await accountAt(predicted);
    expect(await account.getFunction("signer")()).toEqual([passkey.qx, passkey.qy]);
    expect(await token.balanceOf(predicted)).toBe(tokens(5));

    // A second call (a relayer that did not know) finds it and creates nothing.
    expect(await factory.createAccount.staticCall(passkey.qx, passkey.qy)).toBe(predicted);
    const again = await receiptOf(factory.createAccount(passkey.qx, passkey.qy));
    expect(eventsNamed(again, factory, "CollectorAccountCreated")).toHaveLength(0);
    await expectRevert(account.initialize(passkey.qx, passkey.qy), account, "InvalidInitialization", []);
  });

  it("answers ERC-1271 for its own passkey's assertion of a digest, and for nothing else", async () => {
    const passkey = new SoftwarePasskey();
    const account = await createdAccount(passkey);
    const hash = digest("pay 2 OCP to Warung Bu Tini");
    expect(await account.isValidSignature(hash, passkey.assert(hash))).toBe(MAGIC);
    expect(await account.isValidSignature(hash, passkey.assert(hash, { backupEligible: true, backedUp: true }))).toBe(MAGIC);

    const other = new SoftwarePasskey();
    const parts = passkey.assertionParts(hash);
    const highS = toBeHex(P256_N - BigInt(parts.s), 32);
    const refused: [string, string][] = [
      ["another digest", passkey.assert(digest("pay 20 OCP to Warung Bu Tini"))],
      ["another passkey", other.assert(hash)],
      ["no user verification (screen lock not used)", passkey.assert(hash, { userVerified: false })],
      ["no user presence", passkey.assert(hash, { userPresent: false, userVerified: true })],
      ["backed up though not backup-eligible", passkey.assert(hash, { backedUp: true })],
      ["a registration, not an assertion", passkey.assert(hash, { type: "webauthn.create" })],
      [
        "the same signature with s above n/2",
        AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"],
          [parts.r, highS, parts.challengeIndex, parts.typeIndex, parts.authenticatorData, parts.clientDataJSON],
        ),
      ],
      ["garbage", "0x1234"],
      ["an ECDSA signature", await collector.signMessage("hello")],
    ];
    for (const [what, signature] of refused) expect(await account.isValidSignature(hash, signature), what).toBe(INVALID);
  });

  it("is told apart from every other passkey's account: one key, one address", async () => {
    const [a, b] = [new SoftwarePasskey(), new SoftwarePasskey()];
    const [accountA, accountB] = [await createdAccount(a), await createdAccount(b)];
    expect(await accountA.getAddress()).not.toBe(await accountB.getAddress());
    const hash = digest("sign in");
    expect(await accountB.isValidSignature(hash, a.assert(hash))).toBe(INVALID);
    expect(await accountA.isValidSignature(hash, a.assert(hash))).toBe(MAGIC);
  });

  it("executes calls for itself or the entry point only", async () => {
    const account = await createdAccount(new SoftwarePasskey());
    const batchMode = `0x01${"00".repeat(31)}`;
    await expectRevert(account.connect(stranger).execute(batchMode, "0x"), account, "AccountUnauthorized", [stranger.address]);
  });

  it("keeps a template nobody can use: its key is a point no one knows the secret of", async () => {
    const implementation = await accountAt(await factory.implementation());
    await expectRevert(implementation.initialize(ZeroHash, ZeroHash), implementation, "InvalidInitialization", []);
    // The first x at or above keccak256("recircle.CollectorAccount.implementation") mod p that lies on the curve.
    const [qx, qy] = await implementation.getFunction("signer")();
    let x = BigInt(keccak256(toUtf8Bytes("recircle.CollectorAccount.implementation"))) % P;
    const onCurve = (x: bigint) => modPow((((x ** 3n - 3n * x + B) % P) + P) % P, (P - 1n) / 2n) === 1n;
    while (!onCurve(x)) x += 1n;
    expect(BigInt(qx)).toBe(x);
    expect((BigInt(qy) ** 2n) % P).toBe((((x ** 3n - 3n * x + B) % P) + P) % P);
  });
});

describe("the gas of a passkey check", () => {
  it("is measured through the chain's P-256 precompile and in Solidity, and as a token's ERC-1271 call", async () => {
    const passkey = new SoftwarePasskey();
    const creation = await receiptOf(factory.createAccount(passkey.qx, passkey.qy));
    const account = await accountAt(await factory.accountAddress(passkey.qx, passkey.qy));
    const hash = digest("a payment's EIP-712 digest");
    const parts = passkey.assertionParts(hash);
    const message = await webAuthnMessageHash(parts.authenticatorData, parts.clientDataJSON);
    const [nativeValid, nativeGas] = await probe.verifyNative(message, parts.r, parts.s, passkey.qx, passkey.qy);
    const [solidityValid, solidityGas] = await probe.verifySolidity(message, parts.r, parts.s, passkey.qx, passkey.qy);
    // Hardhat's Osaka rules carry EIP-7951's P256VERIFY: the precompile answers, for a fraction of the Solidity cost.
    expect(nativeValid).toBe(true);
    expect(solidityValid).toBe(true);
    expect(nativeGas).toBeLessThan(solidityGas / 10n);
    const [valid, erc1271Gas] = await probe.checkSignature(await account.getAddress(), hash, passkey.assert(hash));
    expect(valid).toBe(true);
    const eoa = Wallet.createRandom();
    const [ecdsaValid, ecdsaGas] = await probe.checkSignature(eoa.address, hash, eoa.signingKey.sign(hash).serialized);
    expect(ecdsaValid).toBe(true);
    expect(erc1271Gas).toBeGreaterThan(ecdsaGas);
    console.info(
      `P-256 check: ${nativeGas} gas through the precompile, ${solidityGas} in Solidity; a passkey account's ` +
        `ERC-1271 check: ${erc1271Gas} gas (an EOA's ECDSA: ${ecdsaGas}); creating the account: ${creation.gasUsed} gas`,
    );
  });
});

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  base %= P;
  for (; exponent > 0n; exponent >>= 1n, base = (base * base) % P) if (exponent & 1n) result = (result * base) % P;
  return result;
}

/** What the passkey signs: sha256(authenticatorData ‖ sha256(clientDataJSON)), as WebAuthn.verify rebuilds it. */
async function webAuthnMessageHash(authenticatorData: string, clientDataJSON: string) {
  const { createHash } = await import("node:crypto");
  const clientHash = createHash("sha256").update(clientDataJSON).digest();
  return `0x${createHash("sha256").update(Buffer.concat([Buffer.from(authenticatorData.slice(2), "hex"), clientHash])).digest("hex")}`;
}

describe("a passkey account's address, computed off chain", () => {
  it("is the factory's accountAddress, from the factory's address and the key alone", async () => {
    const factoryAddress = await factory.getAddress();
    expect(accountImplementationOf(factoryAddress)).toBe(await factory.implementation());
    for (const passkey of [new SoftwarePasskey(), new SoftwarePasskey()]) {
      expect(collectorAccountAddress(factoryAddress, passkey)).toBe(await factory.accountAddress(passkey.qx, passkey.qy));
    }
  });
});
