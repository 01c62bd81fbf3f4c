import { AbiCoder, concat, Interface, keccak256, toBeHex, toUtf8Bytes, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { isKeySignature, isPasskeyAssertion, parseAccountSignature } from "../../../services/core/account-signature.js";
import { SoftwarePasskey } from "../../../harness/lib/software-passkey.js";

const MAGIC = "0x6492649264926492649264926492649264926492649264926492649264926492";
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const digest = keccak256(toUtf8Bytes("pay 2 OCP to Warung Bu Tini"));
const coder = AbiCoder.defaultAbiCoder();
const factories = new Interface(["function createAccount(bytes32 qx, bytes32 qy)", "function transfer(address to, uint256 value)"]);
const wrap = (factory: string, calldata: string, inner: string) => concat([coder.encode(["address", "bytes", "bytes"], [factory, calldata, inner]), MAGIC]);
const encode = (parts: ReturnType<SoftwarePasskey["assertionParts"]>, s = parts.s) =>
  coder.encode(["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"], [parts.r, s, parts.challengeIndex, parts.typeIndex, parts.authenticatorData, parts.clientDataJSON]);

describe("a passkey account's signature, checked as the token checks it", () => {
  const passkey = new SoftwarePasskey();
  const key = { qx: passkey.qx, qy: passkey.qy };

  it("passes for the passkey's assertion of the digest, with the person verified, synced or not", () => {
    expect(isPasskeyAssertion(digest, passkey.assert(digest), key)).toBe(true);
    expect(isPasskeyAssertion(digest, passkey.assert(digest, { backupEligible: true, backedUp: true }), key)).toBe(true);
  });

  it("fails for another digest, key, missing verification, a registration, high s, or garbage", () => {
    const parts = passkey.assertionParts(digest);
    const cases: [string, string, typeof key][] = [
      ["another digest", passkey.assert(keccak256(toUtf8Bytes("pay 20"))), key],
      ["another key", new SoftwarePasskey().assert(digest), key],
      ["no user verification", passkey.assert(digest, { userVerified: false }), key],
      ["a registration", passkey.assert(digest, { type: "webauthn.create" }), key],
      ["s above n/2", encode(parts, toBeHex(N - BigInt(parts.s), 32)), key],
      ["backed up but not eligible", passkey.assert(digest, { backedUp: true }), key],
      ["garbage", "0x1234", key],
    ];
    for (const [what, signature, by] of cases) expect(isPasskeyAssertion(digest, signature, by), what).toBe(false);
  });

  it("tells a key's 65 bytes from an account's, and unwraps only an account's creation", async () => {
    const ecdsa = await Wallet.createRandom().signMessage("hi");
    expect(isKeySignature(ecdsa)).toBe(true);
    const inner = passkey.assert(digest);
    expect(isKeySignature(inner)).toBe(false);
    expect(parseAccountSignature(inner)).toEqual({ inner });
    const factory = Wallet.createRandom().address;
    const wrapped = parseAccountSignature(wrap(factory, factories.encodeFunctionData("createAccount", [passkey.qx, passkey.qy]), inner));
    expect(wrapped).toEqual({ inner, creation: { factory, key } });
    expect(parseAccountSignature(wrap(factory, factories.encodeFunctionData("transfer", [factory, 1n]), inner))).toBeUndefined();
    expect(parseAccountSignature(concat(["0x1234", MAGIC]))).toBeUndefined();
  });
});
