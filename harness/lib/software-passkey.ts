import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { AbiCoder, concat, getBytes, hexlify, Interface, toBeHex, zeroPadValue } from "ethers";

/** ERC-6492's suffix: a signature of a contract account that does not exist yet. */
export const ERC6492_MAGIC = "0x6492649264926492649264926492649264926492649264926492649264926492";
const ACCOUNT_FACTORY = new Interface(["function createAccount(bytes32 qx, bytes32 qy)"]);

/** P-256's group order: a signature's s above n/2 is refused (malleability), so it is folded below. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());

/** What the authenticator says of the person: present (UP), verified by the screen lock (UV). */
export interface AssertionFlags {
  userPresent?: boolean;
  userVerified?: boolean;
  /** `type` in the client data: a real browser says "webauthn.get" for an assertion. */
  type?: string;
  /** Backup eligible (BE) and backed up (BS): a synced passkey says both. */
  backupEligible?: boolean;
  backedUp?: boolean;
}

/**
 * A passkey as a phone's platform authenticator holds it: a P-256 key that signs WebAuthn assertions, here with
 * Node's crypto so tests, the gas report and the harnesses can act as the phone does. `assert` builds the assertion
 * exactly as the browser and authenticator would (client data JSON, authenticator data, ES256 over both) and
 * ABI-encodes it as OpenZeppelin's WebAuthn.WebAuthnAuth, the signature a passkey account checks.
 */
export class SoftwarePasskey {
  readonly qx: string;
  readonly qy: string;
  private readonly privateKey: KeyObject;

  constructor(private readonly origin = "https://recircle.example", private readonly rpId = "recircle.example") {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const jwk = publicKey.export({ format: "jwk" });
    this.qx = zeroPadValue(Buffer.from(jwk.x!, "base64url"), 32);
    this.qy = zeroPadValue(Buffer.from(jwk.y!, "base64url"), 32);
    this.privateKey = privateKey;
  }

  /** The WebAuthn assertion of `challenge` (32 bytes: an EIP-712 digest), ABI-encoded as WebAuthnAuth. */
  assert(challenge: string, flags: AssertionFlags = {}): string {
    const parts = this.assertionParts(challenge, flags);
    return AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"],
      [parts.r, parts.s, parts.challengeIndex, parts.typeIndex, parts.authenticatorData, parts.clientDataJSON],
    );
  }

  /** The assertion's parts, as `navigator.credentials.get` gives them and the contract reads them. */
  assertionParts(challenge: string, flags: AssertionFlags = {}) {
    const { userPresent = true, userVerified = true, type = "webauthn.get", backupEligible = false, backedUp = false } = flags;
    const clientDataJSON = JSON.stringify({
      type,
      challenge: Buffer.from(getBytes(challenge)).toString("base64url"),
      origin: this.origin,
      crossOrigin: false,
    });
    const flagByte = (userPresent ? 0x01 : 0) | (userVerified ? 0x04 : 0) | (backupEligible ? 0x08 : 0) | (backedUp ? 0x10 : 0);
    const authenticatorData = new Uint8Array([...sha256(new TextEncoder().encode(this.rpId)), flagByte, 0, 0, 0, 1]);
    const signed = new Uint8Array([...authenticatorData, ...sha256(new TextEncoder().encode(clientDataJSON))]);
    const signature = sign("sha256", signed, { key: this.privateKey, dsaEncoding: "ieee-p1363" });
    const r = BigInt(hexlify(signature.subarray(0, 32)));
    const s = BigInt(hexlify(signature.subarray(32)));
    return {
      r: toBeHex(r, 32),
      s: toBeHex(s > N / 2n ? N - s : s, 32),
      challengeIndex: clientDataJSON.indexOf('"challenge"'),
      typeIndex: clientDataJSON.indexOf('"type"'),
      authenticatorData: hexlify(authenticatorData),
      clientDataJSON,
    };
  }
}

/**
 * `signature` as the first signature of `passkey`'s account, not created yet, must come: ERC-6492-wrapped with
 * the call that creates it through `factory` (by default the passkey's own key; another key makes a forged one).
 */
export function wrappedForCreation(factory: string, passkey: Pick<SoftwarePasskey, "qx" | "qy">, signature: string): string {
  const creation = ACCOUNT_FACTORY.encodeFunctionData("createAccount", [passkey.qx, passkey.qy]);
  return concat([AbiCoder.defaultAbiCoder().encode(["address", "bytes", "bytes"], [factory, creation, signature]), ERC6492_MAGIC]);
}
