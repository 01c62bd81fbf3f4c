// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice Test-only contract signers that misbehave, to show what a token's bounded ERC-1271 check makes of them.
/// `behaviour`: 0 says yes to every hash, 1 reverts with a long reason, 2 burns all the gas it is given, 3 answers
/// "no" padded to 100 kB (a return bomb). As a factory (`createAccount`), it behaves the same and creates nothing.
contract MaliciousSigner is IERC1271 {
    uint8 public immutable behaviour;

    constructor(uint8 behaviour_) {
        behaviour = behaviour_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32, bytes calldata) external view returns (bytes4) {
        _misbehave();
        return IERC1271.isValidSignature.selector;
    }

    /// @notice Poses as a CollectorAccountFactory named in an ERC-6492 wrapper.
    function createAccount(bytes32, bytes32) external view {
        _misbehave();
    }

    function _misbehave() private view {
        uint8 kind = behaviour;
        if (kind == 1) revert(string(new bytes(10_000)));
        if (kind == 2) {
            // Spin until the gas runs out: the caller's bound is all this can take.
            uint256 spent;
            while (gasleft() > 0) spent += block.timestamp;
        }
        if (kind == 3) {
            assembly ("memory-safe") {
                mstore(0, 0)
                return(0, 100000)
            }
        }
    }
}
