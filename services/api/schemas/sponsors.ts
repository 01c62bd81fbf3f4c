import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";

/** Stablecoin amounts: decimal strings in the stablecoin's units (tUSD has 6 decimals). */
const StableAmount = Type.String({ pattern: "^(0|[1-9][0-9]*)(\\.[0-9]+)?$", description: 'Stablecoin units, e.g. "1.4925"' });
const Signature65 = Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte EIP-712 signature" });
const TxHash = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" });
const Block = Type.Integer({ minimum: 0 });
/** The log a figure comes from. */
const Ref = { txHash: TxHash, blockNumber: Block };
/** When the money moved: the block's time. */
const At = { at: Type.Union([Type.String({ format: "date-time" }), Type.Null()]) };

export const DepositBody = Type.Object(
  {
    programId: Id,
    amount: Type.String({ pattern: "^(0|[1-9][0-9]{0,40})(\\.[0-9]{1,18})?$", description: "Stablecoin units" }),
    deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds: both signatures' deadline" }),
    permitSignature: { ...Signature65, description: "EIP-2612 Permit(sponsor → vault, amount, the stablecoin's next nonce, deadline)" },
    depositSignature: { ...Signature65, description: "The vault's Deposit(sponsor, program, amount, the vault's next nonce, deadline)" },
  },
  { additionalProperties: false },
);

export const DepositReceipt = Type.Object({
  depositId: Id,
  programId: Id,
  program: Address,
  sponsor: Address,
  amount: StableAmount,
  ...Ref,
});

export const FundFlowQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$", description: "First block (default: the deployment's)" })),
    to: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$", description: "Last block (default and at most: the last indexed)" })),
    sponsor: Type.Optional({ ...Address, description: "Admins: whose report" }),
  },
  { additionalProperties: false },
);

const Group = Type.Object({
  key: Type.String(),
  count: Type.Integer(),
  kg: Type.String(),
  tokens: TokenAmount,
  txHashes: Type.Array(TxHash),
});

export const FundFlow = Type.Object({
  sponsor: Address,
  fromBlock: Block,
  toBlock: Block,
  totals: Type.Object({
    deposited: StableAmount,
    drawn: StableAmount,
    fees: StableAmount,
    paidToRetailers: StableAmount,
    left: StableAmount,
  }),
  deposits: Type.Array(
    Type.Object({
      depositId: Id,
      program: Address,
      amount: StableAmount,
      drawn: StableAmount,
      left: StableAmount,
      ...Ref,
      ...At,
      draws: Type.Array(
        Type.Object({
          redemptionId: Id,
          retailer: Address,
          amount: StableAmount,
          fee: { ...StableAmount, description: "This draw's share of the redemption's fee (see services/core/fund-flow.ts splitFee)" },
          net: StableAmount,
          ...Ref,
          ...At,
        }),
      ),
    }),
  ),
  programs: Type.Array(
    Type.Object({
      program: Address,
      solvency: Type.Optional(
        Type.Object({
          outstandingValue: { ...StableAmount, description: "Outstanding tokens × the redemption rate" },
          depositsLeft: StableAmount,
          solvent: Type.Boolean(),
          blockNumber: Block,
        }),
      ),
      collections: Type.Object({
        count: Type.Integer({ description: "Drop-offs credited (a delayed bonus adds tokens to its drop-off, not a count)" }),
        kg: Type.String(),
        tokens: { ...TokenAmount, description: "Base credits and their delayed bonuses" },
        reversed: Type.Object(
          { count: Type.Integer(), kg: Type.String(), tokens: TokenAmount },
          { description: "How much of the figures above was reversed (clawed back on chain); those credits stay listed" },
        ),
        byMaterial: Type.Array(Group),
        byPoint: Type.Array(Group),
        byWeek: Type.Array(Group, { description: "ISO weeks (2026-W48) of the drop-off" }),
        credits: Type.Array(
          Type.Object({
            eventId: Id,
            material: Type.String(),
            point: Type.String(),
            week: Type.String(),
            kg: Type.String({ description: "0 for a bonus: its drop-off's weight is on the base credit" }),
            tokens: TokenAmount,
            bonusOf: Type.Union([Id, Type.Null()], { description: "A delayed bonus: the collection event it completes" }),
            reversal: Type.Union([Type.Object({ ...Ref }), Type.Null()], {
              description: "The confirmed reversal that clawed this credit back, if any",
            }),
            ...Ref,
          }),
        ),
      }),
    }),
  ),
});
