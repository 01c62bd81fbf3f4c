import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import {
  addedKeySignature, addedPasskeySignature, keySigner, passkeySigner, signerChangeDigest, signerKind, taggedSigner,
} from "../../../services/core/account-signers.js";
import { SoftwarePasskey } from "../../../harness/lib/software-passkey.js";

describe("a passkey account's further signers, as bytes", () => {
  it("names a key by its 20 bytes and a passkey by its 64, and tells them apart", () => {
    const [wallet, passkey] = [Wallet.createRandom(), new SoftwarePasskey()];
    expect(signerKind(keySigner(wallet.address))).toEqual({ key: wallet.address });
    expect(signerKind(passkeySigner(passkey))).toEqual({ passkey: { qx: passkey.qx, qy: passkey.qy } });
    expect(signerKind("0x1234")).toBeUndefined();
  });

  it("reads the signer an added signer's signature names, and none from the first passkey's own form", () => {
    const [wallet, passkey] = [Wallet.createRandom(), new SoftwarePasskey()];
    const digest = `0x${"ab".repeat(32)}`;
    expect(taggedSigner(addedPasskeySignature(passkey, passkey.assert(digest)))).toBe(passkeySigner(passkey));
    expect(taggedSigner(addedKeySignature(wallet.address, wallet.signingKey.sign(digest).serialized))).toBe(keySigner(wallet.address));
    expect(taggedSigner(passkey.assert(digest))).toBeUndefined();
    expect(taggedSigner(wallet.signingKey.sign(digest).serialized)).toBeUndefined();
  });

  it("signs a change for one account, chain, kind and nonce: changing any changes the digest", () => {
    const account = Wallet.createRandom().address;
    const change = { kind: "add" as const, signer: keySigner(Wallet.createRandom().address), nonce: 0n, deadline: 1_800_000_000n };
    const digest = signerChangeDigest(31337n, account, change);
    const others = [
      signerChangeDigest(31337n, Wallet.createRandom().address, change),
      signerChangeDigest(1n, account, change),
      signerChangeDigest(31337n, account, { ...change, kind: "remove" }),
      signerChangeDigest(31337n, account, { ...change, nonce: 1n }),
      signerChangeDigest(31337n, account, { ...change, deadline: change.deadline + 1n }),
    ];
    for (const other of others) expect(other).not.toBe(digest);
  });
});
