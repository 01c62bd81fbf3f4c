import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { buildNetworkCore } from "../network-core.js";

/** The network on a real chain, backed by an existing stablecoin given as the `stablecoin` parameter. */
export default buildModule("Recircle", (m) => {
  const stablecoin = m.contractAt("IERC20", m.getParameter<string>("stablecoin"));
  return { stablecoin, ...buildNetworkCore(m, stablecoin) };
});
