/** What a collection point weighs. Plastics by resin code family, then the other recyclables. */
export const MATERIALS = [
  "PET",
  "HDPE",
  "PP",
  "LDPE",
  "PVC",
  "PS",
  "OTHER_PLASTIC",
  "ALUMINIUM",
  "GLASS",
  "PAPER",
] as const;

export type Material = (typeof MATERIALS)[number];

export const isMaterial = (value: string): value is Material => (MATERIALS as readonly string[]).includes(value);
