// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ILotCertificate} from "./interfaces/ILotCertificate.sol";

/// @title LotCertificate
/// @notice One ERC-1155 token per confirmed lot of collected material (id = the lot's id), carrying the
/// Merkle root of the lot's collection event ids, so a buyer of the lot can prove any drop-off is inside it
/// without trusting the service's database.
contract LotCertificate is ILotCertificate, ERC1155, AccessControl {
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");

    /// @dev Lot id → its Merkle root; non-zero once certified, which is what makes `certify` once-only.
    mapping(uint256 lotId => bytes32 root) private _roots;

    /// @param admin gets DEFAULT_ADMIN_ROLE (governance)
    /// @param certifier gets CERTIFIER_ROLE (the service's operator key)
    /// @param uri_ the ERC-1155 metadata URI template (`{id}` is the lot id)
    constructor(address admin, address certifier, string memory uri_) ERC1155(uri_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(CERTIFIER_ROLE, certifier);
    }

    /// @inheritdoc ILotCertificate
    function certify(
        uint256 lotId,
        address program,
        bytes32 merkleRoot,
        string calldata material,
        uint256 grams,
        address to
    ) external onlyRole(CERTIFIER_ROLE) {
        require(merkleRoot != bytes32(0), LotCertificateEmptyRoot(lotId));
        bytes32 existing = _roots[lotId];
        require(existing == bytes32(0), LotCertificateAlreadyCertified(lotId, existing));
        _roots[lotId] = merkleRoot;
        emit LotCertified(lotId, program, merkleRoot, material, grams);
        // Minted after the write and the event: the receiver hook of a contract `to` then sees a certified lot.
        _mint(to, lotId, 1, "");
    }

    /// @inheritdoc ILotCertificate
    function contains(uint256 lotId, uint256 eventId, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _roots[lotId];
        if (root == bytes32(0)) return false;
        return MerkleProof.verifyCalldata(proof, root, _leaf(eventId));
    }

    /// @inheritdoc ILotCertificate
    function merkleRootOf(uint256 lotId) external view returns (bytes32) {
        return _roots[lotId];
    }

    /// @inheritdoc ERC1155
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @dev StandardMerkleTree's leaf for `[eventId]` typed `["uint256"]`: hashed twice so no leaf can be
    /// mistaken for an inner node (a second-preimage defence).
    function _leaf(uint256 eventId) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(eventId))));
    }
}
