// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {CollectorAccount} from "./CollectorAccount.sol";
import {ICollectorAccountFactory} from "./interfaces/ICollectorAccountFactory.sol";

/// @title CollectorAccountFactory
/// @notice Creates each collector's {CollectorAccount} as an EIP-1167 clone at a CREATE2 address derived from its
/// passkey's public key, so the address is known (and can be credited) before the account exists.
contract CollectorAccountFactory is ICollectorAccountFactory {
    /// @notice The CollectorAccount every collector's account is a clone of.
    address public immutable implementation;

    constructor() {
        implementation = address(new CollectorAccount());
    }

    /// @inheritdoc ICollectorAccountFactory
    function accountAddress(bytes32 qx, bytes32 qy) public view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _salt(qx, qy));
    }

    /// @inheritdoc ICollectorAccountFactory
    function createAccount(bytes32 qx, bytes32 qy) public returns (address account) {
        account = accountAddress(qx, qy);
        if (account.code.length != 0) return account;
        Clones.cloneDeterministic(implementation, _salt(qx, qy));
        CollectorAccount(payable(account)).initialize(qx, qy);
        emit CollectorAccountCreated(account, qx, qy);
    }

    /// @inheritdoc ICollectorAccountFactory
    function createAccountAndAddSigner(
        bytes32 qx,
        bytes32 qy,
        bytes calldata signer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (address account) {
        account = createAccount(qx, qy);
        CollectorAccount(payable(account)).addSigner(signer, nonce, deadline, signature);
    }

    function _salt(bytes32 qx, bytes32 qy) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy));
    }
}
