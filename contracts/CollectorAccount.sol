// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {AbstractSigner} from "@openzeppelin/contracts/utils/cryptography/signers/AbstractSigner.sol";
import {SignerP256} from "@openzeppelin/contracts/utils/cryptography/signers/SignerP256.sol";
import {SignerWebAuthn} from "@openzeppelin/contracts/utils/cryptography/signers/SignerWebAuthn.sol";
import {ICollectorAccount} from "./interfaces/ICollectorAccount.sol";

/// @title CollectorAccount
/// @notice A collector's wallet with no seed phrase: an ERC-1271 account controlled by a WebAuthn (P-256)
/// passkey, the phone's screen lock, and by any further signers its signers add (another phone's passkey, a
/// recovery phrase's key): any one of them signs for the account. It signs EIP-3009 payments, permits and sign-ins as any wallet does; tokens
/// that accept contract signatures check them here. Used through EIP-1167 clones made by
/// {CollectorAccountFactory}, one per passkey, at an address derived from the key.
/// @dev ERC-7739's nested signatures do not fit here: the passkey must sign the token's own EIP-712 digest, the
/// very bytes the server checks before it relays, and each key controls exactly one account (the factory's salt is
/// the key), so the replay across accounts ERC-7739 guards against cannot happen.
///
/// Signature forms (ERC-1271, user operations): the first passkey's is an ABI-encoded WebAuthnAuth, as it always
/// was (its length a multiple of 32). An added signer's names itself, so its check is one lookup: a tag byte then
/// the signer and its signature, `0x01 ‖ qx ‖ qy ‖ abi.encode(WebAuthnAuth)` for a passkey (length 1 mod 32) or
/// `0x02 ‖ address ‖ ECDSA signature (65 bytes)` for a key.
contract CollectorAccount is Account, SignerWebAuthn, ERC7821, IERC1271, EIP712, Initializable, ICollectorAccount {
    bytes32 private constant ADD_SIGNER_TYPEHASH = keccak256("AddSigner(bytes signer,uint256 nonce,uint256 deadline)");
    bytes32 private constant REMOVE_SIGNER_TYPEHASH =
        keccak256("RemoveSigner(bytes signer,uint256 nonce,uint256 deadline)");
    bytes1 private constant PASSKEY_TAG = 0x01;
    bytes1 private constant KEY_TAG = 0x02;
    uint256 private constant KEY_SIGNATURE_LENGTH = 1 + 20 + 65;

    /// @dev keccak256 of each added signer's bytes (20 or 64, so a key and a passkey never share an id).
    mapping(bytes32 signerId => bool) private _addedSigners;
    uint256 private _signerNonce;

    /// @dev The implementation needs a valid key of its own, one nobody can sign for: the first point of P-256 whose
    /// x is at or above keccak256("recircle.CollectorAccount.implementation") mod p. Clones set their own key.
    bytes32 private constant NOBODYS_X = 0xb8f2f55ce673aacce69e0a9236b5cd8c0abf3c490c40ce4de96be9cafc6d11dc;
    bytes32 private constant NOBODYS_Y = 0xc7d6244878148e8311800ca7d03848e4be0a9cec30502b3b37bcefb0613909ab;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() SignerP256(NOBODYS_X, NOBODYS_Y) EIP712("CollectorAccount", "1") {
        // The implementation is only a template for clones: nobody may ever initialize it.
        _disableInitializers();
    }

    /// @notice Sets the clone's passkey. Callable once, by the factory in the call that creates the clone.
    function initialize(bytes32 qx, bytes32 qy) external initializer {
        _setSigner(qx, qy);
    }

    /// @notice ERC-1271: whether `signature` is one of this account's signers signing `hash`: the first passkey's
    /// WebAuthn assertion (user verification required), or an added signer's in its tagged form.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return _rawSignatureValidation(hash, signature) ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @inheritdoc ICollectorAccount
    function addSigner(bytes calldata signer, uint256 nonce, uint256 deadline, bytes calldata signature) external {
        _authorize(ADD_SIGNER_TYPEHASH, signer, nonce, deadline, signature);
        require(_isWellFormed(signer), CollectorAccountSignerMalformed(signer));
        require(!isSigner(signer), CollectorAccountSignerExists(signer));
        bytes32 signerId = keccak256(signer);
        _addedSigners[signerId] = true;
        emit SignerAdded(signerId, signer);
    }

    /// @inheritdoc ICollectorAccount
    function removeSigner(bytes calldata signer, uint256 nonce, uint256 deadline, bytes calldata signature) external {
        _authorize(REMOVE_SIGNER_TYPEHASH, signer, nonce, deadline, signature);
        bytes32 signerId = keccak256(signer);
        require(_addedSigners[signerId], CollectorAccountSignerUnknown(signer));
        delete _addedSigners[signerId];
        emit SignerRemoved(signerId, signer);
    }

    /// @inheritdoc ICollectorAccount
    function isSigner(bytes calldata key) public view returns (bool) {
        (bytes32 qx, bytes32 qy) = signer();
        return _addedSigners[keccak256(key)] || keccak256(key) == keccak256(abi.encodePacked(qx, qy));
    }

    /// @inheritdoc ICollectorAccount
    function signerNonce() external view returns (uint256) {
        return _signerNonce;
    }

    /// @dev Checks the change's deadline, nonce and signature, and uses the nonce up.
    function _authorize(bytes32 typehash, bytes calldata signer, uint256 nonce, uint256 deadline, bytes calldata signature)
        private
    {
        require(block.timestamp <= deadline, CollectorAccountAuthorizationExpired(deadline, block.timestamp));
        require(nonce == _signerNonce, CollectorAccountInvalidNonce(nonce, _signerNonce));
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(typehash, keccak256(signer), nonce, deadline)));
        require(_rawSignatureValidation(digest, signature), CollectorAccountUnauthorized(digest));
        unchecked {
            // One per signed change: 2^256 changes will never be signed.
            ++_signerNonce;
        }
    }

    /// @dev The first passkey's form is checked as before; a tagged form only against the signer it names, if added.
    function _rawSignatureValidation(bytes32 hash, bytes calldata signature)
        internal
        view
        override(AbstractSigner, SignerWebAuthn)
        returns (bool)
    {
        if (signature.length % 32 == 0) return super._rawSignatureValidation(hash, signature);
        if (signature[0] == PASSKEY_TAG && signature.length > 65) {
            if (!_addedSigners[keccak256(signature[1:65])]) return false;
            (bool decoded, WebAuthn.WebAuthnAuth calldata auth) = WebAuthn.tryDecodeAuth(signature[65:]);
            return decoded
                && WebAuthn.verify(abi.encodePacked(hash), auth, bytes32(signature[1:33]), bytes32(signature[33:65]));
        }
        if (signature[0] == KEY_TAG && signature.length == KEY_SIGNATURE_LENGTH) {
            if (!_addedSigners[keccak256(signature[1:21])]) return false;
            (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(hash, signature[21:]);
            return error == ECDSA.RecoverError.NoError && recovered == address(bytes20(signature[1:21]));
        }
        return false;
    }

    /// @dev A key's address (20 bytes, not zero) or a P-256 public key on the curve (64 bytes).
    function _isWellFormed(bytes calldata signer) private pure returns (bool) {
        if (signer.length == 20) return bytes20(signer) != bytes20(0);
        return signer.length == 64 && P256.isValidPublicKey(bytes32(signer[0:32]), bytes32(signer[32:64]));
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
