import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { getBytes, hexlify, zeroPadValue } from "ethers";
import { encodeWebAuthnAuth, webAuthnAuth } from "../../services/core/webauthn-auth.js";

// The phone wraps and encodes through the same pure modules: what the tests sign is what the app signs.
export { ERC6492_MAGIC, wrappedForCreation } from "../../services/core/counterfactual-account.js";

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
  /** Chrome's decoy member, which it adds to some client data so no one compares it to a template. */
  otherKeys?: boolean;
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
    return encodeWebAuthnAuth(this.assertionParts(challenge, flags));
  }

  /** The assertion's parts, as `navigator.credentials.get` gives them and the contract reads them. */
  assertionParts(challenge: string, flags: AssertionFlags = {}) {
    const { userPresent = true, userVerified = true, type = "webauthn.get", backupEligible = false, backedUp = false, otherKeys = false } = flags;
    const clientDataJSON = JSON.stringify({
      type,
      challenge: Buffer.from(getBytes(challenge)).toString("base64url"),
      origin: this.origin,
      crossOrigin: false,
      ...(otherKeys ? { other_keys_can_be_added_here: "do not compare clientDataJSON against a template. See https://goo.gl/yabPex" } : {}),
    });
    const flagByte = (userPresent ? 0x01 : 0) | (userVerified ? 0x04 : 0) | (backupEligible ? 0x08 : 0) | (backedUp ? 0x10 : 0);
    const authenticatorData = new Uint8Array([...sha256(new TextEncoder().encode(this.rpId)), flagByte, 0, 0, 0, 1]);
    const signed = new Uint8Array([...authenticatorData, ...sha256(new TextEncoder().encode(clientDataJSON))]);
    const signature = sign("sha256", signed, { key: this.privateKey, dsaEncoding: "ieee-p1363" });
    const r = BigInt(hexlify(signature.subarray(0, 32)));
    const s = BigInt(hexlify(signature.subarray(32)));
    return webAuthnAuth(r, s, authenticatorData, new TextEncoder().encode(clientDataJSON));
  }
}
