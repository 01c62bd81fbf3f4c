// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Makes a collector's passkey account at an address known before it exists
/// @notice Errors and events of {CollectorAccountFactory}; the implementation documents itself with @inheritdoc.
interface ICollectorAccountFactory {
    /// @notice The account of the passkey (`qx`, `qy`) now exists at `account`, the address it was credited at.
    event CollectorAccountCreated(address indexed account, bytes32 qx, bytes32 qy);

    /// @notice The address of the passkey's account, whether it exists yet or not: tokens may be credited there
    /// before it is created, and nothing but this passkey will ever control it.
    function accountAddress(bytes32 qx, bytes32 qy) external view returns (address);

    /// @notice Creates the passkey's account if it does not exist yet, and returns its address either way, so a
    /// relayer may put this call in front of a first payment without knowing whether another did so already.
    /// Anyone may call it: the address binds the key, and the account is initialized in the same call.
    function createAccount(bytes32 qx, bytes32 qy) external returns (address account);

    /// @notice Creates the passkey's account if need be, then adds `signer` to it as the account's
    /// {ICollectorAccount-addSigner} does, authorised by `signature` (the passkey's, over the account's EIP-712
    /// domain, which names the account's address and so is known before the account exists).
    function createAccountAndAddSigner(
        bytes32 qx,
        bytes32 qy,
        bytes calldata signer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (address account);
}
