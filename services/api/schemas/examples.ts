/**
 * Hand-written examples of the API's bodies and answers, shown in the OpenAPI document (each schema carries its
 * own as `examples`). One story runs through them: point 2 records 2.5 kg of PET for a collector in program 1,
 * who pays warung 4 with the tokens; the warung redeems them against sponsor 5's deposit. The OpenAPI test checks
 * that every example is valid against its schema, so none of them shows a request the API refuses.
 */

/** Addresses, EIP-55 checksummed. */
export const A = {
  collector: "0xCAFEFdbB1CdE02d7764467B9D6062B5A1fD2B5a4",
  point: "0x1Ae7027762fa383f99aB559D2fC3ECA649687C1c",
  retailer: "0xBEfE9Fb19C96957CB76a5f2f70547e5Eb0C912D7",
  sponsor: "0xD7B1B877EB589E85F26da49c85e89A10BC53FE07",
  token: "0xBA975da4d2459Aa3F11D31291a25A8358F84946d",
  vault: "0x6076586EA1ce15ddCf19208Ec6346cF748DfFbee",
  stablecoin: "0x324b68cF9295A374b94261674e8D2e4A11d53aD5",
  factory: "0xd0CDeac414e546d2e7ede445f4e7032a4272C771",
  lotCertificate: "0x2d689C8e51cd05722E6E8446C76900fCb263139E",
  collectorAccounts: "0xc4F1d43b474cE8A7547CeaE3Eff3892Bf44Bcc86",
  operator: "0xa87Af28464c80bf0346Df1B32e205fC73319F622",
} as const;

/** 32-byte hashes (transactions, roots, nonces) and a 65-byte signature. */
export const H = {
  tx1: "0x5194ead3df889a15f3d33e47bcc128114dbb9dcd1147f2de8a8ffba6a815f248",
  tx2: "0x183a7d361ca1625fa85289cbdf578effaa4376f038587b9ab574e3fe80e5edc5",
  tx3: "0x97a85b9f687bba82d44975f5f92f40894dc150ae53b4683e2e1509313bac6f73",
  root: "0xd6c66cad06fe14fdb6ce9297d80d32f24d7428996d0045cbf90cc345c677ba16",
  leaf: "0xe4ba3b3cb9535c537d6011f20a7e0b6a30e0b3d1ed112f0fda6a79a63c1ed8a1",
  nonce: "0x7ab1577440dd7bedf920cb6de2f9fc6bf7ba98c78c85a3fa1f8311aac95e1759",
  signature:
    "0x3ac225168df54212a25c1c01fd35bebfea408fdac2e31ddd6f80a4bbf9a5f1cbb5553de315e0edf504d9150af82dafa5c4667fa618ed0a6f19c69b41166c55101b",
} as const;

const at = "2026-11-30T09:15:00.000Z";

export const creditEvent = {
  id: 101,
  kind: "collection",
  programId: 1,
  issuerId: 2,
  beneficiary: A.collector,
  material: "PET",
  grams: 2500,
  tokens: "2.5",
  status: "confirmed",
  reasons: [],
  txHash: H.tx1,
  blockNumber: 1842,
  createdAt: at,
};

export const loyaltyEvent = {
  id: 102,
  kind: "loyalty",
  programId: 3,
  issuerId: 6,
  beneficiary: A.collector,
  type: "purchase",
  value: "40",
  tokens: "0.4",
  status: "pending",
  reasons: [],
  txHash: null,
  blockNumber: null,
  createdAt: at,
};

export const member = { id: 2, kind: "collection_point", name: "Bank Sampah Melati", address: A.point, active: true };

export const program = {
  id: 1,
  chainProgramId: 1,
  token: A.token,
  name: "Bank Sampah Token",
  symbol: "BST",
  kind: "recycling",
  closedLoop: true,
  redemptionRate: "0.01",
  rates: { PET: "1", ALUMINIUM: "4" },
  rules: { events: {}, campaigns: [] },
  caps: { perEvent: "500", perBeneficiaryDaily: "1000", perIssuerDaily: "10000" },
  bonusShareBps: 2000,
  createdTx: H.tx2,
  paused: false,
  phoneCountry: "ID",
};

export const terms = { rates: program.rates, rules: program.rules, caps: program.caps, bonusShareBps: program.bonusShareBps };

export const payment = {
  id: 31,
  programId: 1,
  from: A.collector,
  to: A.retailer,
  value: "2",
  source: "online",
  status: "confirmed",
  failureReason: null,
  txHash: H.tx2,
  blockNumber: 1850,
  createdAt: at,
};

export const redemption = {
  id: 7,
  programId: 1,
  retailer: A.retailer,
  tokens: "150",
  deadline: 1_796_000_000,
  status: "confirmed",
  gross: "1.5",
  fee: "0.0075",
  net: "1.4925",
  draws: [{ depositId: 3, sponsor: A.sponsor, amount: "1.5" }],
  vaultRedemptionId: 7,
  failureReason: null,
  txHash: H.tx3,
  blockNumber: 1901,
  createdAt: at,
};

export const reversal = {
  id: 4,
  eventId: 101,
  programId: 1,
  holder: A.collector,
  reason: "scale misread: 0.25 kg, not 2.5 kg",
  requestedBy: 1,
  amount: "2.25",
  burned: "2.25",
  shortfall: "0",
  status: "confirmed",
  txHash: H.tx3,
  blockNumber: 1920,
  createdAt: at,
};

export const lot = {
  id: 9,
  programId: 1,
  processorId: 8,
  material: "PET",
  grams: 12500,
  kg: "12.5",
  status: "confirmed",
  collectionIds: [101, 104, 110],
  merkleRoot: H.root,
  txHash: H.tx1,
  blockNumber: 2010,
  certificate: A.lotCertificate,
  bonusEventIds: [121, 122, 123],
};

export const webhook = { id: 5, url: "https://hooks.example.com/recircle", events: ["credit.confirmed", "payment.settled"], active: true, createdAt: at };

export const delivery = {
  id: 88,
  eventId: 101,
  eventType: "credit.confirmed",
  attempt: 1,
  statusCode: 200,
  error: null,
  durationMs: 142,
  startedAt: "2026-11-30T09:16:00.000Z",
  finishedAt: "2026-11-30T09:16:00.142Z",
};

export const balance = { programId: 1, name: "Bank Sampah Token", symbol: "BST", token: A.token, balance: "0.5" };

export const deposit = { depositId: 3, programId: 1, program: A.token, sponsor: A.sponsor, amount: "1000", txHash: H.tx1, blockNumber: 1200 };

export const withdrawalWrite = { depositId: 3, txHash: H.tx2, blockNumber: 2300, status: "included" };

export const termsChange = { id: 2, programId: 1, actorId: 1, before: terms, after: { ...terms, rates: { PET: "1.2", ALUMINIUM: "4" } }, at };

export const auditEntry = {
  id: 57,
  actorId: 1,
  action: "member.deactivate",
  subject: "member:2",
  before: { active: true },
  after: { active: false },
  at,
};

export const collectorListItem = { id: 12, address: A.collector, displayName: "Ibu Sari", registeredBy: 2, createdAt: at };

export const publicProgram = {
  id: 1,
  name: "Bank Sampah Token",
  symbol: "BST",
  token: A.token,
  kind: "recycling",
  materials: ["PET", "ALUMINIUM"],
  rates: { PET: "1", ALUMINIUM: "4" },
  redemptionRate: "0.01",
  phoneCountry: "ID",
};
