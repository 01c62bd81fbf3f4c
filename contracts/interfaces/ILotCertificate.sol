// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// @title A lot of collected material certified on chain, with the Merkle root of the drop-offs inside it.
/// @notice Errors and events of {LotCertificate}; the implementation documents itself with @inheritdoc.
interface ILotCertificate {
    /// @notice `certify` was asked to certify a lot that was certified before, with root `merkleRoot`.
    error LotCertificateAlreadyCertified(uint256 lotId, bytes32 merkleRoot);
    /// @notice `certify` was given an empty Merkle root: such a lot could never prove a drop-off.
    error LotCertificateEmptyRoot(uint256 lotId);

    /// @notice Lot `lotId` of `program` was certified: `grams` of `material`, its collection event ids
    /// committed to by `merkleRoot`.
    event LotCertified(
        uint256 indexed lotId, address indexed program, bytes32 merkleRoot, string material, uint256 grams
    );

    /// @notice Mints the one certificate (ERC-1155 id `lotId`, amount 1) of a confirmed lot to `to`.
    /// @dev Only CERTIFIER_ROLE; each lot is certified once.
    /// @param lotId the lot's id in the service, used as the token id
    /// @param program the program's reward token, whose collection events the lot holds
    /// @param merkleRoot the root over the lot's collection event ids (leaf encoding: see {contains})
    /// @param material the material of every collection in the lot
    /// @param grams the lot's weight in grams
    /// @param to who receives the certificate (the buyer of the lot, or the processor until sold)
    function certify(
        uint256 lotId,
        address program,
        bytes32 merkleRoot,
        string calldata material,
        uint256 grams,
        address to
    ) external;

    /// @notice Whether collection event `eventId` is inside lot `lotId`, proven by `proof`.
    /// @dev Leaves are `keccak256(bytes.concat(keccak256(abi.encode(eventId))))`, as OpenZeppelin's
    /// StandardMerkleTree encodes a single `uint256`; pairs are hashed sorted ({MerkleProof-verify}).
    /// False for a lot that was never certified.
    function contains(uint256 lotId, uint256 eventId, bytes32[] calldata proof) external view returns (bool);

    /// @notice The Merkle root lot `lotId` was certified with (zero when it was not).
    function merkleRootOf(uint256 lotId) external view returns (bytes32);
}
