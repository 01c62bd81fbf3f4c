// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title A collector's passkey account with further signers, for recovery without custody
/// @notice Errors, events and the signer functions of {CollectorAccount}, which documents itself with inheritdoc.
/// Besides the passkey it was created for (its address derives from that key), an account may answer to
/// further signers: another phone's passkey (64 bytes, qx ‖ qy) or a key's address (20 bytes, a recovery phrase's).
/// Any one signer signs for the account. Each change is signed by a signer over an EIP-712 message with the
/// account's nonce and a deadline, so anyone (the operator's relayer) may send it and nobody may forge it.
interface ICollectorAccount {
    /// @notice `signer` (20 or 64 bytes; `signerId` is its keccak256) now signs for this account.
    event SignerAdded(bytes32 indexed signerId, bytes signer);

    /// @notice `signer` no longer signs for this account.
    event SignerRemoved(bytes32 indexed signerId, bytes signer);

    /// @notice The change was signed for a deadline now past.
    error CollectorAccountAuthorizationExpired(uint256 deadline, uint256 timestamp);

    /// @notice The change was signed for nonce `given`; the account is at `expected` (a replay, or one out of order).
    error CollectorAccountInvalidNonce(uint256 given, uint256 expected);

    /// @notice No signer of this account signed the change's EIP-712 `digest`.
    error CollectorAccountUnauthorized(bytes32 digest);

    /// @notice `signer` is neither a key's address (20 bytes, not zero) nor a P-256 public key (64 bytes, on the curve).
    error CollectorAccountSignerMalformed(bytes signer);

    /// @notice `signer` signs for this account already.
    error CollectorAccountSignerExists(bytes signer);

    /// @notice `signer` is not an added signer of this account (the first passkey cannot be removed).
    error CollectorAccountSignerUnknown(bytes signer);

    /// @notice Adds `signer`, as authorised by `signature`: a signer's signature of
    /// AddSigner(signer, nonce, deadline) in this account's EIP-712 domain.
    function addSigner(bytes calldata signer, uint256 nonce, uint256 deadline, bytes calldata signature) external;

    /// @notice Removes the added `signer`, as authorised by `signature`: a signer's signature of
    /// RemoveSigner(signer, nonce, deadline) in this account's EIP-712 domain. A signer may remove itself.
    function removeSigner(bytes calldata signer, uint256 nonce, uint256 deadline, bytes calldata signature) external;

    /// @notice Whether `signer` (20 or 64 bytes) signs for this account: its first passkey or an added signer.
    function isSigner(bytes calldata signer) external view returns (bool);

    /// @notice The nonce the next signer change must be signed with.
    function signerNonce() external view returns (uint256);
}
