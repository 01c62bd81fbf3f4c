// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @dev OpenZeppelin's `SignatureChecker` with the ERC-1271 call bounded: a contract signer is given at most `gasLimit`
 * for its answer, and only the first 32 bytes of that answer are read. A relayed batch carries signers it did not
 * choose; unbounded, one contract could spend 63/64 of the batch's gas or return a megabyte for the token to copy,
 * and every payment after it would fail with it.
 */
library BoundedSignatureChecker {
    /// @dev ECDSA for an address without code, ERC-1271 (bounded) for a contract.
    function isValidSignatureNow(address signer, bytes32 hash, bytes memory signature, uint256 gasLimit)
        internal
        view
        returns (bool)
    {
        if (signer.code.length == 0) {
            (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecover(hash, signature);
            return error == ECDSA.RecoverError.NoError && recovered == signer;
        }
        return isValidERC1271SignatureNow(signer, hash, signature, gasLimit);
    }

    /// @dev `IERC1271(signer).isValidSignature(hash, signature)` with `gasLimit` gas, true only for the magic value.
    function isValidERC1271SignatureNow(address signer, bytes32 hash, bytes memory signature, uint256 gasLimit)
        internal
        view
        returns (bool result)
    {
        bytes4 selector = IERC1271.isValidSignature.selector;
        uint256 length = signature.length;
        assembly ("memory-safe") {
            // selector ‖ hash ‖ offset (0x40) ‖ length ‖ signature, zero-padded: the ABI encoding of the call.
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), hash)
            mstore(add(ptr, 0x24), 0x40)
            mcopy(add(ptr, 0x44), signature, add(length, 0x20))
            mstore(add(add(ptr, 0x64), length), 0)
            length := shl(5, shr(5, add(length, 0x1F)))
            // Out: the first word only, into scratch space; a longer answer is never copied.
            let success := staticcall(gasLimit, signer, ptr, add(length, 0x64), 0x00, 0x20)
            result := and(success, and(gt(returndatasize(), 0x1f), eq(mload(0x00), selector)))
        }
    }
}
