import { ZeroHash } from "ethers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildEventTree, proofFor } from "../../services/core/merkle.js";
import type { LotCertificate } from "../../types/ethers-contracts/index.js";
import { expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork } from "./fixture.js";

const { ethers, networkHelpers, accounts } = await connectNetwork();
const { governance, operator, collector, stranger } = accounts;
const CERTIFIER = ethers.id("CERTIFIER_ROLE");
const PROGRAM = "0x00000000000000000000000000000000000000aa";
const EVENT_IDS = [4n, 17n, 5n, 230n, 231n, 9n, 1000n];

async function deployCertificate() {
  return ethers.deployContract("LotCertificate", [governance.address, operator.address, "https://recircle.example/lots/{id}.json"]);
}

describe("LotCertificate", () => {
  let certificate: LotCertificate;
  const tree = buildEventTree(EVENT_IDS);

  beforeEach(async () => {
    certificate = (await networkHelpers.loadFixture(deployCertificate)) as unknown as LotCertificate;
  });

  const certify = (as = operator, lotId = 1n, root = tree.root) =>
    certificate.connect(as).certify(lotId, PROGRAM, root, "PET", 12_500n, collector.address);

  it("mints one certificate of the lot to the buyer and records its root", async () => {
    const receipt = await receiptOf(certify());
    expectEvent(receipt, certificate, "LotCertified", [1n, PROGRAM, tree.root, "PET", 12_500n]);
    expectEvent(receipt, certificate, "TransferSingle", [operator.address, ethers.ZeroAddress, collector.address, 1n, 1n]);
    expect(await certificate.balanceOf(collector.address, 1n)).toBe(1n);
    expect(await certificate.merkleRootOf(1n)).toBe(tree.root);
    console.info(`certify gas: ${receipt.gasUsed}`);
  });

  it("proves every collection event of the lot, as the TypeScript tree builds the proofs", async () => {
    await receiptOf(certify());
    for (const id of EVENT_IDS) expect(await certificate.contains(1n, id, proofFor(tree, id)), `event ${id}`).toBe(true);
  });

  it("refuses an event outside the lot, a tampered proof and a lot never certified", async () => {
    await receiptOf(certify());
    const proof = proofFor(tree, 17n);
    expect(await certificate.contains(1n, 18n, proof)).toBe(false);
    const tampered = [...proof];
    tampered[0] = ethers.hexlify(ethers.randomBytes(32));
    expect(await certificate.contains(1n, 17n, tampered)).toBe(false);
    expect(await certificate.contains(1n, 17n, proof.slice(1))).toBe(false);
    expect(await certificate.contains(2n, 17n, proof)).toBe(false);
  });

  it("certifies a lot once", async () => {
    await receiptOf(certify());
    await expectRevert(certify(operator, 1n, buildEventTree([1n]).root), certificate, "LotCertificateAlreadyCertified", [1n, tree.root]);
    await expectRevert(certify(operator, 2n, ZeroHash), certificate, "LotCertificateEmptyRoot", [2n]);
  });

  it("refuses certify to every account without CERTIFIER_ROLE", async () => {
    for (const signer of [governance, collector, stranger]) {
      await expectRevert(certify(signer), certificate, "AccessControlUnauthorizedAccount", [signer.address, CERTIFIER]);
    }
    expect(await certificate.hasRole(ZeroHash, governance.address)).toBe(true);
    expect(await certificate.CERTIFIER_ROLE()).toBe(CERTIFIER);
  });
});
