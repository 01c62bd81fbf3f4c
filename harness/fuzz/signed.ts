/**
 * Cases that carry real signatures, so the fuzz reaches the code behind signature checks: a collector's
 * EIP-3009 payment (JSON and voucher), its EIP-712 login, a retailer's EIP-2612 redemption permit. Each
 * variant is signed correctly over something wrong (a zero or huge value, an expired window, a stranger
 * payee, another chain, a used nonce), or signed and then altered, or signed by someone else.
 */
import { type HDNodeWallet, Signature, type TypedDataDomain } from "ethers";
import { TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../services/chain/eip3009.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { LOGIN_TYPES, loginDomain } from "../../services/core/collector-login.js";
import { encodeVoucher } from "../../services/core/voucher.js";
import type { Random } from "../lib/random.js";
import type { FuzzCase } from "./generate.js";

export interface SignedScene {
  chainId: number;
  program: { id: number; name: string; token: string };
  vault: string;
  collector: HDNodeWallet;
  retailer: HDNodeWallet;
  stranger: HDNodeWallet;
}

const JSON_HEADERS = { "content-type": "application/json" };
const MAX_UINT256 = 2n ** 256n - 1n;
const now = () => Math.floor(Date.now() / 1000);
const tokenUnits = (value: bigint) => {
  const whole = value / 10n ** 18n;
  const fraction = (value % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
};

function post(route: string, path: string, kind: string, body: unknown, auth: FuzzCase["auth"]): FuzzCase {
  return { route, kind: `signed:${kind}`, method: "POST", path, pathParams: {}, query: {}, headers: JSON_HEADERS, body: JSON.stringify(body), auth };
}

async function paymentCases(scene: SignedScene, random: Random): Promise<FuzzCase[]> {
  const domain: TypedDataDomain = { name: scene.program.name, version: "1", chainId: scene.chainId, verifyingContract: scene.program.token };
  const base = () => ({
    from: scene.collector.address,
    to: scene.retailer.address,
    value: BigInt(1 + random.int(1000)) * 10n ** 16n,
    validAfter: 0n,
    validBefore: BigInt(now() + 3600),
    nonce: `0x${random.hex(64)}`,
  });
  const variants: [string, Partial<ReturnType<typeof base>>, { signer?: HDNodeWallet; domain?: TypedDataDomain; alter?: (a: Record<string, unknown>) => void }][] = [
    ["payment-no-balance", {}, {}],
    ["payment-zero-value", { value: 0n }, {}],
    ["payment-max-value", { value: MAX_UINT256 }, {}],
    ["payment-expired", { validBefore: BigInt(now() - 1) }, {}],
    ["payment-not-yet-valid", { validAfter: BigInt(now() + 3600) }, {}],
    ["payment-far-future-window", { validAfter: 2n ** 47n, validBefore: 2n ** 48n - 1n }, {}],
    ["payment-stranger-payee", { to: scene.stranger.address }, {}],
    ["payment-self", { to: scene.collector.address }, {}],
    ["payment-by-stranger", {}, { signer: scene.stranger }],
    ["payment-other-chain", {}, { domain: { ...domain, chainId: scene.chainId + 1 } }],
    ["payment-altered-after-signing", {}, { alter: (a) => (a.value = "999") }],
  ];
  const cases: FuzzCase[] = [];
  for (const [kind, change, how] of variants) {
    const authorization = { ...base(), ...change };
    const signature = Signature.from(await (how.signer ?? scene.collector).signTypedData(how.domain ?? domain, TRANSFER_WITH_AUTHORIZATION_TYPES, authorization));
    // Values past what the API's decimal strings can say are sent as the largest it can.
    const asJson: Record<string, unknown> = {
      ...authorization,
      value: tokenUnits(authorization.value > 10n ** 40n ? 10n ** 40n : authorization.value),
      validAfter: Number(authorization.validAfter),
      validBefore: Number(authorization.validBefore),
    };
    how.alter?.(asJson);
    cases.push(post("POST /v1/payments", "/v1/payments", kind, { programId: scene.program.id, authorization: asJson, signature: signature.serialized }, "none"));
    if (authorization.value > 0n && authorization.value < 2n ** 128n && authorization.validBefore < 2n ** 48n) {
      const voucher = encodeVoucher({
        ...authorization,
        programId: scene.program.id,
        validAfter: Number(authorization.validAfter),
        validBefore: Number(authorization.validBefore),
        signature: signature.serialized,
      });
      cases.push(post("POST /v1/payments", "/v1/payments", `voucher-${kind}`, { voucher }, "none"));
      // One flipped character anywhere in the voucher's body.
      const at = "recircle:v1:".length + random.int(voucher.length - "recircle:v1:".length);
      const flipped = voucher.slice(0, at) + (voucher[at] === "A" ? "B" : "A") + voucher.slice(at + 1);
      cases.push(post("POST /v1/payments", "/v1/payments", `voucher-flipped-${kind}`, { voucher: flipped }, "none"));
    }
  }
  return cases;
}

async function loginCases(scene: SignedScene): Promise<FuzzCase[]> {
  const login = async (kind: string, issuedAt: number, options: { signer?: HDNodeWallet; chainId?: number; highS?: boolean } = {}) => {
    const wallet = scene.collector.address;
    let signature = Signature.from(await (options.signer ?? scene.collector).signTypedData(loginDomain(options.chainId ?? scene.chainId), LOGIN_TYPES, { wallet, issuedAt }));
    // The same signature with s' = n - s (and v flipped): valid maths, refused as malleable.
    if (options.highS) {
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const s = `0x${(n - BigInt(signature.s)).toString(16).padStart(64, "0")}`;
      return post("POST /v1/auth/collector", "/v1/auth/collector", kind, { address: wallet, issuedAt, signature: `${signature.r}${s.slice(2)}${(signature.v === 27 ? 28 : 27).toString(16)}` }, "none");
    }
    return post("POST /v1/auth/collector", "/v1/auth/collector", kind, { address: wallet, issuedAt, signature: signature.serialized }, "none");
  };
  return [
    await login("login-valid", now()),
    await login("login-stale", now() - 3600),
    await login("login-future", now() + 3600),
    await login("login-by-stranger", now(), { signer: scene.stranger }),
    await login("login-other-chain", now(), { chainId: scene.chainId + 1 }),
    await login("login-high-s", now(), { highS: true }),
  ];
}

async function redemptionCases(scene: SignedScene, random: Random): Promise<FuzzCase[]> {
  const domain: TypedDataDomain = { name: scene.program.name, version: "1", chainId: scene.chainId, verifyingContract: scene.program.token };
  const permit = async (kind: string, value: bigint, options: { nonce?: bigint; spender?: string; deadline?: number; signer?: HDNodeWallet; amount?: string } = {}) => {
    const deadline = options.deadline ?? now() + 3600;
    const signed = await (options.signer ?? scene.retailer).signTypedData(domain, PERMIT_TYPES, {
      owner: scene.retailer.address,
      spender: options.spender ?? scene.vault,
      value,
      nonce: options.nonce ?? 0n,
      deadline: BigInt(deadline),
    });
    const body = { programId: scene.program.id, amount: options.amount ?? tokenUnits(value), permit: { deadline, signature: signed } };
    return post("POST /v1/redemptions", "/v1/redemptions", kind, body, "own");
  };
  const value = BigInt(1 + random.int(100)) * 10n ** 18n;
  return [
    await permit("redeem-no-balance", value),
    await permit("redeem-wrong-nonce", value, { nonce: 7n }),
    await permit("redeem-wrong-spender", value, { spender: scene.stranger.address }),
    await permit("redeem-expired", value, { deadline: now() - 1 }),
    await permit("redeem-by-stranger", value, { signer: scene.stranger }),
    await permit("redeem-amount-differs", value, { amount: tokenUnits(value + 1n) }),
    await permit("redeem-dust", 1n),
  ];
}

/** Every signed case for the scene, in a seeded order. */
export async function signedCases(scene: SignedScene, random: Random): Promise<FuzzCase[]> {
  return random.shuffle([...(await paymentCases(scene, random)), ...(await loginCases(scene)), ...(await redemptionCases(scene, random))]);
}
