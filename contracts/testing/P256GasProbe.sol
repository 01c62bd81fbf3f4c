// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title P256GasProbe
/// @notice Test-only: the gas of one P-256 signature check, through the chain's precompile (EIP-7951, where the
/// chain has it) and in Solidity, and of a whole ERC-1271 check of a passkey account as a token would make it.
contract P256GasProbe {
    function verifyNative(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = P256.verifyNative(h, r, s, qx, qy);
        gasUsed = before - gasleft();
    }

    function verifySolidity(bytes32 h, bytes32 r, bytes32 s, bytes32 qx, bytes32 qy)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = P256.verifySolidity(h, r, s, qx, qy);
        gasUsed = before - gasleft();
    }

    function checkSignature(address signer, bytes32 hash, bytes calldata signature)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = SignatureChecker.isValidSignatureNow(signer, hash, signature);
        gasUsed = before - gasleft();
    }
}
