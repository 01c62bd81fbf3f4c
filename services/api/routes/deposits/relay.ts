import { Contract, getAddress, Signature, verifyTypedData, type TypedDataDomain } from "ethers";
import type { FastifyInstance } from "fastify";
import { DEPOSIT_TYPES, PERMIT_TOKEN_ABI, vaultDomain } from "../../../chain/deposit-signatures.js";
import { PERMIT_TYPES } from "../../../chain/eip2612.js";
import { revertDataOf, revertReason } from "../../../chain/revert-reason.js";
import { parseDecimal } from "../../../core/amounts.js";
import { badRequest, notFound } from "../../../core/errors.js";
import type { Member } from "../../../db/members.js";
import { findProgram } from "../../../db/programs.js";
import type { Static } from "typebox";
import { TestStablecoin__factory } from "../../../../types/ethers-contracts/index.js";
import type { DepositBody } from "../../schemas/sponsors.js";

/** The signer of `signature` over the typed data, or undefined when it is malformed (the contracts refuse it too). */
function signerOf(domain: TypedDataDomain, types: Record<string, { name: string; type: string }[]>, value: object, signature: string) {
  try {
    return verifyTypedData(domain, types, value, signature);
  } catch {
    return undefined;
  }
}

/**
 * Checks both signatures against the sponsor's address and the nonces the contracts will use, dry-runs the
 * deposit so a refusal (balance, minimum, unknown program) is a 400 with the vault's reason rather than a
 * reverted transaction, then relays it and waits for it to be mined.
 */
export async function relayDeposit(app: FastifyInstance, member: Member, body: Static<typeof DepositBody>) {
  if (!member.address) throw badRequest("RC_SPONSOR_WITHOUT_ADDRESS", "this sponsor has no chain address to deposit from");
  const sponsor = getAddress(member.address);
  const program = await findProgram(app.sql, BigInt(body.programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${body.programId}`);
  const amount = parseDecimal(body.amount, app.stablecoinDecimals);
  if (amount === 0n) throw badRequest("RC_INVALID_AMOUNT", "a deposit is more than nothing");
  const deadline = BigInt(body.deadline);
  if (body.deadline <= Math.floor(Date.now() / 1000)) throw badRequest("RC_SIGNATURE_EXPIRED", "the deadline has passed");

  const { vault, deployment } = app.chain;
  const stablecoin = new Contract(deployment.contracts.stablecoin, PERMIT_TOKEN_ABI, app.chain.provider);
  const [domainFields, permitNonce, depositNonce] = await Promise.all([
    stablecoin.getFunction("eip712Domain")() as Promise<[string, string, string, bigint, string]>,
    stablecoin.getFunction("nonces")(sponsor) as Promise<bigint>,
    vault.nonces(sponsor),
  ]);
  const [, name, version, chainId, verifyingContract] = domainFields;
  const permit = { owner: sponsor, spender: deployment.contracts.vault, value: amount, nonce: permitNonce, deadline };
  if (signerOf({ name, version, chainId, verifyingContract }, PERMIT_TYPES, permit, body.permitSignature) !== sponsor) {
    throw badRequest("RC_INVALID_PERMIT", `the permit is not the sponsor's permit of this amount to the vault at nonce ${permitNonce}`);
  }
  const authorization = { sponsor, program: program.token, amount, nonce: depositNonce, deadline };
  const domain = vaultDomain(BigInt(app.chain.chainId), deployment.contracts.vault);
  if (signerOf(domain, DEPOSIT_TYPES, authorization, body.depositSignature) !== sponsor) {
    throw badRequest("RC_INVALID_DEPOSIT_SIGNATURE", `the deposit signature is not the sponsor's at vault nonce ${depositNonce}`);
  }

  const { v, r, s } = Signature.from(body.permitSignature);
  const args = [program.token, sponsor, amount, deadline, v, r, s, body.depositSignature] as const;
  try {
    await vault.depositWithPermit.staticCall(...args);
  } catch (error) {
    // The test stablecoin's interface stands for any OpenZeppelin token's ERC-6093 errors (balance, allowance).
    const interfaces = [vault.interface, TestStablecoin__factory.createInterface()];
    const code = revertReason(revertDataOf(error), interfaces, "RC_DEPOSIT_REFUSED");
    throw badRequest(code, "the vault refuses this deposit");
  }
  const receipt = await app.chain.writer.sendAndWait(await vault.depositWithPermit.populateTransaction(...args));
  const log = receipt.logs
    .map((entry) => (entry.address.toLowerCase() === deployment.contracts.vault.toLowerCase() ? vault.interface.parseLog(entry) : null))
    .find((parsed) => parsed?.name === "Deposited");
  if (!log) throw new Error(`deposit transaction ${receipt.hash} has no Deposited log`);
  return {
    depositId: Number(log.args.depositId),
    programId: Number(program.id),
    program: program.token,
    sponsor,
    amount: log.args.amount as bigint,
    txHash: receipt.hash,
    blockNumber: receipt.blockNumber,
  };
}
