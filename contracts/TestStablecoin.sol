// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title TestStablecoin
/// @notice A 6-decimal dollar stand-in with EIP-2612 permit, for the local chain and tests only. On a real
/// network the vault is deployed against a real stablecoin instead.
contract TestStablecoin is ERC20, ERC20Permit, Ownable {
    constructor(address owner) ERC20("Test USD (local chain only)", "tUSD") ERC20Permit("Test USD (local chain only)") Ownable(owner) {}

    /// @notice Creates test dollars; the owner plays the bank on the local chain.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
