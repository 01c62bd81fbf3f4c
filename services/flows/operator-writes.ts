import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { CERTIFY_LOT } from "./confirm-lot.js";
import { CREATE_PROGRAM } from "./create-program.js";
import { GRANT_ACCEPTOR } from "./grant-program-role.js";
import { PAUSE_TOKEN } from "./pause-token.js";
import { RELAY_DEPOSIT } from "./relay-deposit.js";
import { SIGNER_CHANGE } from "./relay-signer-change.js";
import { REVERSE_CREDIT } from "./reverse-credit.js";
import { REVOKE_ACCEPTOR } from "./revoke-program-role.js";
import { ANNOUNCE_WITHDRAWAL, CANCEL_WITHDRAWAL, WITHDRAW_DEPOSIT } from "./withdraw-deposit.js";

/** Every kind of write the operator's key makes besides mint batches: what its one sender knows how to carry out. */
export const OPERATOR_WRITES: ChainWriteKind[] = [
  CREATE_PROGRAM,
  GRANT_ACCEPTOR,
  CERTIFY_LOT,
  RELAY_DEPOSIT,
  REVERSE_CREDIT,
  REVOKE_ACCEPTOR,
  ANNOUNCE_WITHDRAWAL,
  CANCEL_WITHDRAWAL,
  WITHDRAW_DEPOSIT,
  PAUSE_TOKEN,
  SIGNER_CHANGE,
];
