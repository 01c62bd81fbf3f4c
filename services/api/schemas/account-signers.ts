import { Type } from "typebox";
import { Address } from "./common.js";
import { A, H } from "./examples.js";

/** The collector's recovery key (a phrase's address) in the examples: 20 bytes, lower-case. */
const RECOVERY = "0x9f2c1d0e4b3a5968778695a4b3c2d1e0f9a8b7c6";

const Bytes32 = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" });
const Signer = Type.String({
  pattern: "^0x(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{128})$",
  description: "A key's address (20 bytes: a recovery phrase's) or a passkey's public key qx ‖ qy (64 bytes)",
});

export const SignerChangeBody = Type.Object(
  {
    account: Address,
    change: Type.Enum(["add", "remove"]),
    signer: Signer,
    nonce: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "The account's signerNonce() the change is signed at" }),
    deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds" }),
    signature: Type.String({
      pattern: "^0x(?:[0-9a-fA-F]{2}){65,2048}$",
      description:
        "A signer's signature of AddSigner or RemoveSigner(bytes signer, uint256 nonce, uint256 deadline) in the account's " +
        "EIP-712 domain (name CollectorAccount, version 1): the first passkey's WebAuthn assertion, or an added signer's in its tagged form",
    }),
    passkey: Type.Optional(
      Type.Object(
        { qx: Bytes32, qy: Bytes32 },
        { additionalProperties: false, description: "The account's first passkey: only while the account does not exist, to create it first" },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: "A change of a passkey account's signers, signed by one of them",
    examples: [{ account: A.collector, change: "add", signer: RECOVERY, nonce: 1, deadline: 1_796_000_000, signature: H.signature }],
  },
);

export const SignerChangeReceipt = Type.Object({
  account: Address,
  change: Type.Enum(["add", "remove"]),
  signer: Signer,
  signerId: { ...Bytes32, description: "keccak256 of the signer: the SignerAdded/SignerRemoved topic" },
  txHash: Bytes32,
  blockNumber: Type.Integer({ minimum: 0 }),
  status: Type.Enum(["included", "confirmed"], {
    description: "included: in a block, waiting for CHAIN_CONFIRMATIONS blocks on it; confirmed: they stand",
  }),
}, {
  examples: [
    { account: A.collector, change: "add", signer: RECOVERY, signerId: H.leaf, txHash: H.tx1, blockNumber: 1234, status: "included" },
  ],
});

export const SignerQuery = Type.Object({ signer: Signer }, { additionalProperties: false });

export const SignerAccounts = Type.Object({
  signer: Signer,
  accounts: Type.Array(Address, { description: "The passkey accounts this signer was added to and signs for today" }),
}, { examples: [{ signer: RECOVERY, accounts: [A.collector] }] });
