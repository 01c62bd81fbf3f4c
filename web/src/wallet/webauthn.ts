import { getBytes } from "ethers";
import type { PasskeyKey } from "../../../services/core/account-signature.js";
import { encodeWebAuthnAuth, p256KeyFromSpki, p256SignatureFromDer, webAuthnAuth } from "../../../services/core/webauthn-auth.js";
import { t } from "../i18n.js";

/** ES256: ECDSA on P-256 with SHA-256, the one algorithm a passkey account checks. */
const ES256 = -7;
/** Two minutes to find the phone's screen lock: the browser's own prompt, not ours, says what to do. */
const TIMEOUT_MS = 120_000;
/** Authenticator data flags: the person was present (UP) and verified by the screen lock (UV). */
const PRESENT_AND_VERIFIED = 0x05;

/** The person cancelled, or the prompt timed out, or the screen lock was not used: said as such, not as a fault. */
export class PasskeyCancelled extends Error {
  constructor(why: string) {
    super(t("wallet.passkey.cancelled"), { cause: why });
  }
}

/** Whether this phone can hold a passkey behind its screen lock (a platform authenticator with user verification). */
export async function passkeyAvailable(): Promise<boolean> {
  if (typeof PublicKeyCredential === "undefined") return false;
  return PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().catch(() => false);
}

async function ask<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) throw new PasskeyCancelled(error.message);
    throw error;
  }
}

/**
 * A new passkey on this phone, behind its screen lock. Nothing is attested or registered with a server: the
 * account on chain trusts the public key itself, so the key is all the phone keeps (with the credential's id).
 */
export async function createPasskey(userName: string): Promise<{ credentialId: Uint8Array; key: PasskeyKey }> {
  const credential = await ask(() =>
    navigator.credentials.create({
      publicKey: {
        rp: { name: "recircle" },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: userName, displayName: userName },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [{ type: "public-key", alg: ES256 }],
        authenticatorSelection: { authenticatorAttachment: "platform", residentKey: "preferred", userVerification: "required" },
        attestation: "none",
        timeout: TIMEOUT_MS,
      },
    }),
  );
  if (!(credential instanceof PublicKeyCredential)) throw new PasskeyCancelled("no passkey was created");
  const response = credential.response as AuthenticatorAttestationResponse;
  const spki = response.getPublicKey();
  if (response.getPublicKeyAlgorithm() !== ES256 || !spki) throw new Error(t("wallet.passkey.unsupported"));
  return { credentialId: new Uint8Array(credential.rawId), key: p256KeyFromSpki(new Uint8Array(spki)) };
}

/**
 * The passkey's assertion of `digest` (an EIP-712 digest, the challenge), with the screen lock: ABI-encoded as the
 * account's WebAuthnAuth, the signature the token and the API check.
 */
export async function assertPasskey(credentialId: Uint8Array, digest: string): Promise<string> {
  const credential = await ask(() =>
    navigator.credentials.get({
      publicKey: {
        challenge: getBytes(digest) as BufferSource,
        allowCredentials: [{ type: "public-key", id: credentialId as BufferSource }],
        userVerification: "required",
        timeout: TIMEOUT_MS,
      },
    }),
  );
  if (!(credential instanceof PublicKeyCredential)) throw new PasskeyCancelled("no assertion");
  const response = credential.response as AuthenticatorAssertionResponse;
  const authenticatorData = new Uint8Array(response.authenticatorData);
  // The account refuses an assertion without the screen lock: say so here rather than be refused by the API.
  if (((authenticatorData[32] ?? 0) & PRESENT_AND_VERIFIED) !== PRESENT_AND_VERIFIED) throw new PasskeyCancelled("the screen lock was not used");
  const { r, s } = p256SignatureFromDer(new Uint8Array(response.signature));
  return encodeWebAuthnAuth(webAuthnAuth(r, s, authenticatorData, new Uint8Array(response.clientDataJSON)));
}
