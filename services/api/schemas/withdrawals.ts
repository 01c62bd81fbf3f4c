import { Type } from "typebox";
import { Address, Id } from "./common.js";
import { A, H, withdrawalWrite } from "./examples.js";

/** A sponsor's withdrawal with notice of what is left of a deposit (SponsorVault, issue 13 §6). */

const StableAmount = Type.String({ pattern: "^(0|[1-9][0-9]*)(\\.[0-9]+)?$", description: 'Stablecoin units, e.g. "1.4925"' });
const TxHash = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" });
const WriteStatus = Type.Enum(["included", "confirmed"], {
  description: "included: in a block, waiting for CHAIN_CONFIRMATIONS blocks on it; confirmed: they stand",
});

export const WithdrawalSignatureBody = Type.Object(
  {
    deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds: the signature's deadline" }),
    signature: Type.String({
      pattern: "^0x[0-9a-fA-F]{130}$",
      description:
        "65-byte EIP-712 signature of the vault's AnnounceWithdrawal (or CancelWithdrawal)(sponsor, depositId, nonce, deadline) " +
        "at the sponsor's next vault nonce (GET /v1/deposits/:id says it)",
    }),
  },
  { additionalProperties: false, examples: [{ deadline: 1_796_000_000, signature: H.signature }] },
);

export const DepositWithdrawal = Type.Object({
  depositId: Id,
  program: Address,
  sponsor: Address,
  amount: StableAmount,
  remaining: { ...StableAmount, description: "What redemptions have not drawn yet (zero once withdrawn)" },
  noticePeriodSeconds: Type.Integer({ minimum: 0, description: "The program's notice period: an announced withdrawal waits this long" }),
  nonce: Type.Integer({ minimum: 0, description: "The sponsor's next vault nonce, for the signature" }),
  withdrawal: Type.Object({
    status: Type.Enum(["none", "announced", "withdrawn"]),
    withdrawableAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
      description: "When the notice ends; redemptions may draw on the deposit until it is withdrawn",
    }),
  }),
}, {
  examples: [
    {
      depositId: 3,
      program: A.token,
      sponsor: A.sponsor,
      amount: "1000",
      remaining: "998.5",
      noticePeriodSeconds: 604800,
      nonce: 2,
      withdrawal: { status: "none", withdrawableAt: null },
    },
  ],
});

export const WithdrawalAnnounced = Type.Object({
  depositId: Id,
  withdrawableAt: Type.String({ format: "date-time" }),
  txHash: TxHash,
  blockNumber: Type.Integer({ minimum: 0 }),
  status: WriteStatus,
}, { examples: [{ ...withdrawalWrite, withdrawableAt: "2026-12-07T09:15:00.000Z" }] });

export const WithdrawalCancelled = Type.Object({
  depositId: Id,
  txHash: TxHash,
  blockNumber: Type.Integer({ minimum: 0 }),
  status: WriteStatus,
}, { examples: [withdrawalWrite] });

export const Withdrawn = Type.Object({
  depositId: Id,
  amount: { ...StableAmount, description: "What was left, paid back to the sponsor" },
  txHash: TxHash,
  blockNumber: Type.Integer({ minimum: 0 }),
  status: WriteStatus,
}, { examples: [{ ...withdrawalWrite, amount: "998.5", status: "confirmed" }] });
