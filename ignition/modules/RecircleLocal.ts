import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { buildNetworkCore } from "../network-core.js";

/** The whole network on a development chain, with a test stablecoin that governance can mint. */
export default buildModule("RecircleLocal", (m) => {
  const stablecoin = m.contract("TestStablecoin", [m.getAccount(0)]);
  return { stablecoin, ...buildNetworkCore(m, stablecoin) };
});
