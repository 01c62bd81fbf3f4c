import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/**
 * The contracts every recircle network has, around a stablecoin deployed or named by the caller.
 * Shared by the local module (which brings a test stablecoin) and the module for real chains.
 */
export function buildNetworkCore(m: IgnitionModuleBuilder, stablecoin: ContractFuture<string>) {
  // Governance is the deploying account: it must grant the factory its vault role during the deployment.
  // On a real chain, hand its admin roles to a multisig afterwards. The operator is the service's key.
  const governance = m.getAccount(0);
  const operator = m.getParameter("operator", m.getAccount(1));
  const treasury = m.getParameter("treasury", m.getAccount(0));
  const feeBps = m.getParameter("feeBps", 50n);
  const minDeposit = m.getParameter("minDeposit", 1_000_000n);

  const tokenImplementation = m.contract("RewardToken", [], { id: "RewardTokenImplementation" });
  const vault = m.contract("SponsorVault", [stablecoin, governance, treasury, feeBps, minDeposit]);
  const factory = m.contract("ProgramFactory", [tokenImplementation, vault, governance, operator, operator, operator]);
  const registrarRole = m.staticCall(vault, "PROGRAM_REGISTRAR_ROLE", []);
  m.call(vault, "grantRole", [registrarRole, factory], { from: governance });
  // The operator certifies lots: the service confirms a processor's lot with the same key that mints.
  const lotCertificate = m.contract("LotCertificate", [governance, operator, m.getParameter("lotUri", "")]);

  return { tokenImplementation, vault, factory, lotCertificate };
}
