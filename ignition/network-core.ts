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
  // Seconds a sponsor's announced withdrawal waits, so retailers holding tokens can redeem first; programs get it
  // at registration, and governance can change a program's later (SponsorVault.setNoticePeriod).
  const noticePeriod = m.getParameter("noticePeriod", 7n * 24n * 3_600n);

  const tokenImplementation = m.contract("RewardToken", [], { id: "RewardTokenImplementation" });
  const vault = m.contract("SponsorVault", [stablecoin, governance, treasury, feeBps, minDeposit]);
  const factory = m.contract("ProgramFactory", [tokenImplementation, vault, governance, operator, operator, operator]);
  // The operator pauses a program's token from its console (POST /v1/programs/:id/pause): an emergency stop
  // must not wait for governance's multisig. Governance stays each token's admin, so it can take the role back.
  m.call(factory, "setNetworkRoles", [governance, operator, operator, operator], { from: governance, id: "OperatorPausesPrograms" });
  const registrarRole = m.staticCall(vault, "PROGRAM_REGISTRAR_ROLE", []);
  m.call(vault, "grantRole", [registrarRole, factory], { from: governance });
  m.call(vault, "setDefaultNoticePeriod", [noticePeriod], { from: governance });
  // The operator certifies lots: the service confirms a processor's lot with the same key that mints.
  const lotCertificate = m.contract("LotCertificate", [governance, operator, m.getParameter("lotUri", "")]);

  // Collectors' passkey accounts: anyone may create one (its address binds its key), the payment relayer usually.
  const collectorAccounts = m.contract("CollectorAccountFactory", []);

  return { tokenImplementation, vault, factory, lotCertificate, collectorAccounts };
}
