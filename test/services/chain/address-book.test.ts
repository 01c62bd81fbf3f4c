import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type NetworkDeployment,
  isDeployedOn,
  readAddressBook,
  recordDeployment,
} from "../../../services/chain/address-book.js";

const deployment: NetworkDeployment = {
  chainId: 31337,
  startBlock: 0,
  deployedAt: "2026-11-25T00:00:00.000Z",
  governance: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  operator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  contracts: {
    stablecoin: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    vault: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    factory: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    tokenImplementation: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  },
};

describe("the address book", () => {
  let folder: string;
  let path: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "recircle-book-"));
    path = join(folder, "addresses.json");
  });
  afterEach(() => rm(folder, { recursive: true }));

  it("reads a missing file as an empty book", async () => {
    expect(await readAddressBook(path)).toEqual({});
  });

  it("keeps one deployment per chain id and replaces it on redeploy", async () => {
    await recordDeployment(deployment, path);
    await recordDeployment({ ...deployment, chainId: 1, startBlock: 42 }, path);
    await recordDeployment({ ...deployment, startBlock: 7 }, path);
    const book = await readAddressBook(path);
    expect(Object.keys(book).sort()).toEqual(["1", "31337"]);
    expect(book["31337"]?.startBlock).toBe(7);
    expect(book["1"]?.startBlock).toBe(42);
  });

  it("names the field of a malformed entry", async () => {
    const broken = { ...deployment, contracts: { ...deployment.contracts, vault: "0x1234" } };
    await writeFile(path, JSON.stringify({ "31337": broken }));
    await expect(readAddressBook(path)).rejects.toThrow("chain 31337: contracts.vault: not an address");
  });

  it("reads a book written before the lot certificate existed, and one that names it", async () => {
    const lotCertificate = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
    await writeFile(path, JSON.stringify({ "1": deployment, "31337": { ...deployment, contracts: { ...deployment.contracts, lotCertificate } } }));
    const book = await readAddressBook(path);
    expect(book["1"]?.contracts.lotCertificate).toBeUndefined();
    expect(book["31337"]?.contracts.lotCertificate).toBe(lotCertificate);
    const broken = { ...deployment, contracts: { ...deployment.contracts, lotCertificate: "0x12" } };
    await writeFile(path, JSON.stringify({ "31337": broken }));
    await expect(readAddressBook(path)).rejects.toThrow("chain 31337: contracts.lotCertificate: not an address");
  });

  it("treats a deployment as gone when any of its contracts has no code", async () => {
    const codeAt = (missing: string) => async (address: string) => (address === missing ? "0x" : "0x6080");
    expect(await isDeployedOn(deployment, codeAt("none"))).toBe(true);
    expect(await isDeployedOn(deployment, codeAt(deployment.contracts.factory))).toBe(false);
  });
});
