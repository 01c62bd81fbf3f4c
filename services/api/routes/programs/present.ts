import { formatDecimal, formatTokenAmount } from "../../../core/amounts.js";
import type { Program } from "../../../db/programs.js";

const amounts = (record: Record<string, bigint | undefined>) =>
  Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) => (value === undefined ? [] : [[key, formatTokenAmount(value)]])),
  );

/** A program as the API shows it: amounts in token units, the rate in stablecoin units. */
export function presentProgram(program: Program, stablecoinDecimals: number) {
  return {
    id: Number(program.id),
    chainProgramId: Number(program.chainProgramId),
    token: program.token,
    name: program.name,
    symbol: program.symbol,
    kind: program.kind,
    closedLoop: program.closedLoop,
    redemptionRate: formatDecimal(program.redemptionRate, stablecoinDecimals),
    rates: amounts(program.rates),
    rules: {
      events: Object.fromEntries(Object.entries(program.rules.events).map(([type, rule]) => [type, amounts({ ...rule })])),
      campaigns: (program.rules.campaigns ?? []).map((c) => ({
        name: c.name,
        from: c.from.toISOString(),
        to: c.to.toISOString(),
        multiplierBps: c.multiplierBps,
        ...(c.types ? { types: c.types } : {}),
      })),
    },
    caps: amounts({ ...program.caps }),
    bonusShareBps: program.bonusShareBps,
    createdTx: program.createdTx,
    paused: program.paused,
    phoneCountry: program.phoneCountry,
  };
}
