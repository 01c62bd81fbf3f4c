import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id } from "./common.js";

export const PublicProgram = Type.Object({
  id: Id,
  name: Type.String({ description: "Also the token's EIP-712 domain name (version \"1\")" }),
  symbol: Type.String(),
  token: Address,
  kind: Type.Union([Type.Literal("recycling"), Type.Literal("loyalty")]),
  materials: Type.Array(Type.Union(MATERIALS.map((m) => Type.Literal(m)) as [ReturnType<typeof Type.Literal<(typeof MATERIALS)[number]>>]), { description: "What a point may record, by rate" }),
  rates: Type.Record(Type.String(), Type.String(), { description: "Tokens per kilogram, by material" }),
  redemptionRate: Type.String({ description: "Stablecoin units per whole token" }),
});

export const NetworkInfo = Type.Object({
  chainId: Type.Integer(),
  rpcUrl: Type.String({ description: "Where pages read the chain themselves (PUBLIC_CHAIN_RPC_URL)" }),
  explorerUrl: Type.Union([Type.String(), Type.Null()], { description: "A block explorer: <url>/tx/<hash> (PUBLIC_EXPLORER_URL)" }),
  startBlock: Type.Integer({ description: "The deployment's first block: where a verifier starts reading logs" }),
  contracts: Type.Object({
    vault: Address,
    stablecoin: Address,
    factory: Address,
    lotCertificate: Type.Union([Address, Type.Null()]),
  }),
  stablecoin: Type.Object({ decimals: Type.Integer(), symbol: Type.String() }),
  programs: Type.Array(PublicProgram),
});

export const PermitQuery = Type.Object({ programId: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }) }, { additionalProperties: false });

export const PermitParams = Type.Object({
  domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer(), verifyingContract: Address }),
  owner: Address,
  spender: Address,
  nonce: Type.String({ description: "The token's nonces(owner) now: a permit signed over it is the next one usable" }),
});
