/**
 * What the chain alone credits on this machine: the same `mintBatch` on Hardhat's in-process network (EDR, no
 * HTTP, no database, no batcher), batches of 300 fresh event ids to holders who already hold the token, each
 * sent and its receipt read in turn. The calldata is encoded before the clock starts and the node is asked
 * through its raw EIP-1193 provider: ethers' decoding of 300 logs a receipt would otherwise cost as much as the
 * node's execution. The credit phase is reported as a share of it.
 */
import { getAddress, hexlify, randomBytes, toQuantity } from "ethers";
import RecircleLocalModule from "../../ignition/modules/RecircleLocal.js";

export const EDR_LOAD = { batchSize: 300, batches: 20, holders: 300 } as const;

export interface EdrLimitFigures {
  batchSize: number;
  events: number;
  seconds: number;
  eventsPerS: number;
  gasPerEvent: number;
}

export async function measureEdrLimit(): Promise<EdrLimitFigures> {
  const hre = (await import("hardhat")).default;
  const connection = await hre.network.connect();
  try {
    const { ethers, ignition } = connection;
    const [, operator] = await ethers.getSigners();
    if (!operator) throw new Error("the in-process network needs at least 2 accounts");
    const deployed = await ignition.deploy(RecircleLocalModule);
    const factory = await ethers.getContractAt("ProgramFactory", await deployed.factory.getAddress());
    await (await factory.connect(operator).createProgram("EDR Limit", "EDR", false, 10_000n)).wait();
    const token = (await ethers.getContractAt("RewardToken", await factory.programToken(1n))).connect(operator);

    const holders = Array.from({ length: EDR_LOAD.holders }, () => getAddress(hexlify(randomBytes(20))));
    const amounts = holders.map(() => 10n ** 18n);
    let nextId = 1n;
    const calldata = () => token.interface.encodeFunctionData("mintBatch", [holders, amounts, holders.map(() => nextId++)]);
    const batches = Array.from({ length: EDR_LOAD.batches + 1 }, calldata);
    const to = await token.getAddress();
    // An explicit limit: Hardhat would otherwise estimate each batch first, an execution the batcher never asks for.
    const send = async (data: string) => {
      const hash = await connection.provider.request({
        method: "eth_sendTransaction",
        params: [{ from: operator.address, to, data, gas: toQuantity(16_000_000n) }],
      });
      const receipt = (await connection.provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
        status: string;
        gasUsed: string;
      };
      if (receipt.status !== "0x1") throw new Error(`an in-process mintBatch reverted (${String(hash)})`);
      return BigInt(receipt.gasUsed);
    };
    // The first batch makes the 300 holders: the measured ones credit holders, as the credit phase mostly does.
    await send(batches.shift()!);

    let gas = 0n;
    const started = performance.now();
    for (const data of batches) gas += await send(data);
    const seconds = (performance.now() - started) / 1000;
    const events = EDR_LOAD.batches * EDR_LOAD.batchSize;
    return { batchSize: EDR_LOAD.batchSize, events, seconds, eventsPerS: events / seconds, gasPerEvent: Number(gas) / events };
  } finally {
    await connection.close();
  }
}
