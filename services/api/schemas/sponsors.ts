import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";
import { A, deposit, H } from "./examples.js";

/** Stablecoin amounts: decimal strings in the stablecoin's units (tUSD has 6 decimals). */
const StableAmount = Type.String({ pattern: "^(0|[1-9][0-9]*)(\\.[0-9]+)?$", description: 'Stablecoin units, e.g. "1.4925"' });
const Signature65 = Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte EIP-712 signature" });
const TxHash = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" });
const Block = Type.Integer({ minimum: 0 });
/** The log a figure comes from. */
const Ref = { txHash: TxHash, blockNumber: Block };
/** When the money moved: the block's time. */
const At = { at: Type.Union([Type.String({ format: "date-time" }), Type.Null()]) };
/** What the network calls an address (a member's or a program's name), null when it knows none. */
const Name = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
/** One end of the report's period: its block and that block's time. */
const PeriodEnd = Type.Object({ blockNumber: Block, ...At });

export const DepositBody = Type.Object(
  {
    programId: Id,
    amount: Type.String({ pattern: "^(0|[1-9][0-9]{0,40})(\\.[0-9]{1,18})?$", description: "Stablecoin units" }),
    deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds: both signatures' deadline" }),
    permitSignature: { ...Signature65, description: "EIP-2612 Permit(sponsor → vault, amount, the stablecoin's next nonce, deadline)" },
    depositSignature: { ...Signature65, description: "The vault's Deposit(sponsor, program, amount, the vault's next nonce, deadline)" },
  },
  {
    additionalProperties: false,
    examples: [{ programId: 1, amount: "1000", deadline: 1_796_000_000, permitSignature: H.signature, depositSignature: H.signature }],
  },
);

export const DepositReceipt = Type.Object({
  depositId: Id,
  programId: Id,
  program: Address,
  sponsor: Address,
  amount: StableAmount,
  ...Ref,
  status: Type.Enum(["included", "confirmed"], {
    description: "included: in a block, waiting for CHAIN_CONFIRMATIONS blocks on it; confirmed: they stand",
  }),
}, { examples: [{ ...deposit, status: "included" }] });

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
  sponsorName: Name("The sponsor member's name"),
  fromBlock: Block,
  toBlock: Block,
  period: Type.Object(
    { from: PeriodEnd, to: PeriodEnd },
    { description: "The report's first and last blocks with their times: the period it covers, in dates" },
  ),
  totals: Type.Object({
    deposited: StableAmount,
    drawn: StableAmount,
    fees: StableAmount,
    paidToRetailers: StableAmount,
    withdrawn: { ...StableAmount, description: "Paid back to the sponsor by withdrawals" },
    left: StableAmount,
  }),
  deposits: Type.Array(
    Type.Object({
      depositId: Id,
      program: Address,
      programName: Name("The program's name"),
      amount: StableAmount,
      drawn: StableAmount,
      withdrawn: { ...StableAmount, description: "Paid back to the sponsor by a withdrawal" },
      left: { ...StableAmount, description: "amount − drawn − withdrawn" },
      ...Ref,
      ...At,
      withdrawal: Type.Union(
        [
          Type.Object({
            status: Type.Enum(["announced", "withdrawn"]),
            withdrawableAt: Type.String({ format: "date-time", description: "When the notice ends; redemptions may draw on the deposit until it is withdrawn" }),
            announced: Type.Object({ ...Ref }),
            withdrawn: Type.Union([Type.Object({ amount: StableAmount, ...Ref, ...At }), Type.Null()]),
          }),
          Type.Null(),
        ],
        { description: "The sponsor's withdrawal with notice of what is left, if announced (a cancelled one is not shown)" },
      ),
      draws: Type.Array(
        Type.Object({
          redemptionId: Id,
          retailer: Address,
          retailerName: Name("The retailer member's name"),
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
      name: Name("The program's name"),
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
}, { examples: [fundFlowExample()] });

/** Sponsor 5's report: one deposit of 1,000 tUSD, one redemption drawn on it, one program's drop-offs. */
function fundFlowExample() {
  const pet = { count: 1, kg: "2.5", tokens: "2.5", txHashes: [H.tx1] };
  return {
    sponsor: A.sponsor,
    sponsorName: "Sabun Segar Nusantara",
    fromBlock: 1,
    toBlock: 2048,
    period: { from: { blockNumber: 1, at: "2026-11-28T07:00:00.000Z" }, to: { blockNumber: 2048, at: "2026-12-01T10:00:00.000Z" } },
    totals: { deposited: "1000", drawn: "1.5", fees: "0.0075", paidToRetailers: "1.4925", withdrawn: "0", left: "998.5" },
    deposits: [
      {
        depositId: 3,
        program: A.token,
        programName: "Ocean Plastic",
        amount: "1000",
        drawn: "1.5",
        withdrawn: "0",
        left: "998.5",
        txHash: H.tx1,
        blockNumber: 1200,
        at: "2026-11-28T08:00:00.000Z",
        withdrawal: null,
        draws: [
          {
            redemptionId: 7, retailer: A.retailer, retailerName: "Warung Bu Tini", amount: "1.5", fee: "0.0075", net: "1.4925",
            txHash: H.tx3, blockNumber: 1901, at: "2026-11-30T11:00:00.000Z",
          },
        ],
      },
    ],
    programs: [
      {
        program: A.token,
        name: "Ocean Plastic",
        solvency: { outstandingValue: "0.5", depositsLeft: "998.5", solvent: true, blockNumber: 2048 },
        collections: {
          count: 1,
          kg: "2.5",
          tokens: "2.5",
          reversed: { count: 0, kg: "0", tokens: "0" },
          byMaterial: [{ key: "PET", ...pet }],
          byPoint: [{ key: "Bank Sampah Melati", ...pet }],
          byWeek: [{ key: "2026-W48", ...pet }],
          credits: [
            {
              eventId: 101, material: "PET", point: "Bank Sampah Melati", week: "2026-W48", kg: "2.5", tokens: "2.5",
              bonusOf: null, reversal: null, txHash: H.tx1, blockNumber: 1842,
            },
          ],
        },
      },
    ],
  };
}
