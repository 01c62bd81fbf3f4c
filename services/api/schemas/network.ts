import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id } from "./common.js";
import { A, publicProgram } from "./examples.js";

export const PublicProgram = Type.Object({
  id: Id,
  name: Type.String({ description: "Also the token's EIP-712 domain name (version \"1\")" }),
  symbol: Type.String(),
  token: Address,
  kind: Type.Enum(["recycling", "loyalty"]),
  materials: Type.Array(Type.Enum(MATERIALS), { description: "What a point may record, by rate" }),
  rates: Type.Record(Type.String(), Type.String(), { description: "Tokens per kilogram, by material" }),
  redemptionRate: Type.String({ description: "Stablecoin units per whole token" }),
  phoneCountry: Type.String({ description: "ISO 3166-1 alpha-2: where a point reads a collector's local phone number" }),
}, { examples: [publicProgram] });

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
    collectorAccounts: Type.Union([Address, Type.Null()], {
      description: "CollectorAccountFactory: where a phone's passkey wallet is created (null: this network has none)",
    }),
  }),
  stablecoin: Type.Object({ decimals: Type.Integer(), symbol: Type.String() }),
  programs: Type.Array(PublicProgram),
}, {
  examples: [
    {
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      explorerUrl: null,
      startBlock: 1,
      contracts: { vault: A.vault, stablecoin: A.stablecoin, factory: A.factory, lotCertificate: A.lotCertificate, collectorAccounts: A.collectorAccounts },
      stablecoin: { decimals: 6, symbol: "tUSD" },
      programs: [publicProgram],
    },
  ],
});

export const PermitQuery = Type.Object({ programId: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }) }, { additionalProperties: false });

export const PermitParams = Type.Object({
  domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer(), verifyingContract: Address }),
  owner: Address,
  spender: Address,
  nonce: Type.String({ description: "The token's nonces(owner) now: a permit signed over it is the next one usable" }),
}, {
  examples: [
    { domain: { name: "Bank Sampah Token", version: "1", chainId: 31337, verifyingContract: A.token }, owner: A.retailer, spender: A.vault, nonce: "0" },
  ],
});
