// The deployment logic lives with the scripts (the benchmark deploys the same way); tests keep this path.
export { DEV_GOVERNANCE_KEY, deployTestNetwork } from "../../scripts/dev-network.js";
