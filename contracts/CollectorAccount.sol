// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {SignerP256} from "@openzeppelin/contracts/utils/cryptography/signers/SignerP256.sol";
import {SignerWebAuthn} from "@openzeppelin/contracts/utils/cryptography/signers/SignerWebAuthn.sol";

/// @title CollectorAccount
/// @notice A collector's wallet with no seed phrase: an ERC-1271 account controlled by one WebAuthn (P-256)
/// passkey, the phone's screen lock. It signs EIP-3009 payments, permits and sign-ins as any wallet does; tokens
/// that accept contract signatures check them here. Used through EIP-1167 clones made by
/// {CollectorAccountFactory}, one per passkey, at an address derived from the key.
/// @dev ERC-7739's nested signatures do not fit here: the passkey must sign the token's own EIP-712 digest, the
/// very bytes the server checks before it relays, and each key controls exactly one account (the factory's salt is
/// the key), so the replay across accounts ERC-7739 guards against cannot happen.
contract CollectorAccount is Account, SignerWebAuthn, ERC7821, IERC1271, Initializable {
    /// @dev The implementation needs a valid key of its own, one nobody can sign for: the first point of P-256 whose
    /// x is at or above keccak256("recircle.CollectorAccount.implementation") mod p. Clones set their own key.
    bytes32 private constant NOBODYS_X = 0xb8f2f55ce673aacce69e0a9236b5cd8c0abf3c490c40ce4de96be9cafc6d11dc;
    bytes32 private constant NOBODYS_Y = 0xc7d6244878148e8311800ca7d03848e4be0a9cec30502b3b37bcefb0613909ab;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() SignerP256(NOBODYS_X, NOBODYS_Y) {
        // The implementation is only a template for clones: nobody may ever initialize it.
        _disableInitializers();
    }

    /// @notice Sets the clone's passkey. Callable once, by the factory in the call that creates the clone.
    function initialize(bytes32 qx, bytes32 qy) external initializer {
        _setSigner(qx, qy);
    }

    /// @notice ERC-1271: whether `signature` (an ABI-encoded WebAuthn assertion, user verification required) is
    /// this account's passkey signing `hash` as its challenge.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return _rawSignatureValidation(hash, signature) ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @dev Calls are made by the account itself (a user operation through the entry point) and nobody else.
    function _erc7821AuthorizedExecutor(address caller, bytes32 mode, bytes calldata executionData)
        internal
        view
        override
        returns (bool)
    {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }
}
