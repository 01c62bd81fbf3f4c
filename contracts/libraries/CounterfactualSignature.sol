// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICollectorAccountFactory} from "../interfaces/ICollectorAccountFactory.sol";

/// @title ERC-6492 signatures of accounts not created yet, narrowed to account creation
/// @notice A passkey account may be paid before it exists, and sign before it exists: its first signature comes
/// wrapped as ERC-6492 says, `abi.encode(factory, factoryCalldata, signature) ‖ MAGIC`, so the verifier can create
/// it and then ask it. Unlike ERC-6492's arbitrary call, the only call a wrapper may ask of a verifier here is
/// `createAccount(qx, qy)`: a token must never make an arbitrary call chosen by whoever relays a signature.
library CounterfactualSignature {
    /// @dev ERC-6492's suffix.
    bytes32 internal constant MAGIC = 0x6492649264926492649264926492649264926492649264926492649264926492;

    /// @notice Whether `signature` carries ERC-6492's suffix.
    function isWrapped(bytes calldata signature) internal pure returns (bool) {
        return signature.length >= 32 && bytes32(signature[signature.length - 32:]) == MAGIC;
    }

    /// @notice The factory, the creation call and the account's own signature inside a wrapped `signature`.
    function unwrap(bytes calldata signature)
        internal
        pure
        returns (address factory, bytes memory factoryCalldata, bytes memory inner)
    {
        return abi.decode(signature[:signature.length - 32], (address, bytes, bytes));
    }

    /// @notice Creates `signer` through `factory` if the call is an account creation and `signer` has no code
    /// yet; true when `signer` has code afterwards. A failed or foreign call creates nothing and answers false.
    /// The factory is the wrapper's choice, so it gets at most `gasLimit` and its answer is never copied.
    function createAccount(address signer, address factory, bytes memory factoryCalldata, uint256 gasLimit)
        internal
        returns (bool)
    {
        if (signer.code.length != 0) return true;
        if (factoryCalldata.length != 68 || bytes4(factoryCalldata) != ICollectorAccountFactory.createAccount.selector) {
            return false;
        }
        // Whatever the factory does, only the one CREATE2 deployer `signer` derives from can put code there.
        bool called;
        assembly ("memory-safe") {
            called := call(gasLimit, factory, 0, add(factoryCalldata, 0x20), mload(factoryCalldata), 0, 0)
        }
        return called && signer.code.length != 0;
    }
}
