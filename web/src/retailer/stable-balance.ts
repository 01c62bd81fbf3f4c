import { Contract, formatUnits } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { chainNode, loadNetwork } from "../network.js";

/**
 * The shop's stablecoin balance, read from the chain's own node (network.rpcUrl): money the shop holds, that
 * no table of ours records. Read again whenever `version` changes (a payout settled). `undefined` while
 * reading; `null` when the node could not be reached (offline).
 */
export function useStableBalance(address: string, version: string): string | null | undefined {
  const [balance, setBalance] = useState<string | null>();
  useEffect(() => {
    let current = true;
    readStableBalance(address).then(
      (value) => current && setBalance(value),
      () => current && setBalance(null),
    );
    return () => void (current = false);
  }, [address, version]);
  return balance;
}

async function readStableBalance(address: string): Promise<string> {
  const network = await loadNetwork();
  const provider = chainNode(network);
  try {
    const coin = new Contract(network.contracts.stablecoin, ["function balanceOf(address) view returns (uint256)"], provider);
    const raw = (await coin.getFunction("balanceOf")(address)) as bigint;
    return formatUnits(raw, network.stablecoin.decimals);
  } finally {
    provider.destroy();
  }
}
