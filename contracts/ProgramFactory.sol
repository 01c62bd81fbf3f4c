// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IProgramFactory} from "./interfaces/IProgramFactory.sol";
import {ISponsorVault} from "./interfaces/ISponsorVault.sol";
import {RewardToken} from "./RewardToken.sol";

/// @title ProgramFactory
/// @notice Creates each program's token as an EIP-1167 clone of one RewardToken implementation (a program
/// costs ~0.45M gas, wiring included, against ~3M for a full token deployment) and keeps the registry.
contract ProgramFactory is IProgramFactory, AccessControl {
    bytes32 public constant PROGRAM_CREATOR_ROLE = keccak256("PROGRAM_CREATOR_ROLE");

    /// @notice The RewardToken every program's token is a clone of.
    address public immutable implementation;
    /// @notice The vault new programs are registered with; it holds BURNER_ROLE on every program's token.
    ISponsorVault public immutable vault;

    /// @dev Who gets each role of programs created from now on; set together by {_setNetworkRoles}.
    address private _programAdmin;
    address private _minter;
    address private _pauser;
    address private _registrar;

    address[] private _tokens;
    mapping(address token => uint256 programId) private _programIds;

    /// @param implementation_ the RewardToken implementation to clone (initializers disabled)
    /// @param vault_ the SponsorVault new programs are registered with (this factory needs its PROGRAM_REGISTRAR_ROLE)
    /// @param governance gets DEFAULT_ADMIN_ROLE here, and programs' admin and pauser roles until changed
    /// @param programCreator gets PROGRAM_CREATOR_ROLE (the service's operator key)
    /// @param minter_ gets programs' MINTER_ROLE and CLAWBACK_ROLE until changed
    /// @param registrar_ gets programs' REGISTRAR_ROLE until changed
    constructor(
        address implementation_,
        ISponsorVault vault_,
        address governance,
        address programCreator,
        address minter_,
        address registrar_
    ) {
        implementation = implementation_;
        vault = vault_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _grantRole(PROGRAM_CREATOR_ROLE, programCreator);
        _setNetworkRoles(governance, minter_, governance, registrar_);
    }

    /// @inheritdoc IProgramFactory
    function createProgram(string calldata name, string calldata symbol, bool closedLoop, uint256 redemptionRate)
        external
        onlyRole(PROGRAM_CREATOR_ROLE)
        returns (uint256 programId, address token)
    {
        token = Clones.clone(implementation);
        _tokens.push(token);
        programId = _tokens.length;
        _programIds[token] = programId;
        emit ProgramCreated(programId, token, name, symbol, closedLoop, redemptionRate);

        RewardToken(token).initialize(
            name,
            symbol,
            closedLoop,
            // The minter that credits events is also the one that reverses them (CLAWBACK_ROLE).
            RewardToken.Roles({
                admin: _programAdmin,
                minter: _minter,
                pauser: _pauser,
                registrar: _registrar,
                burner: address(vault),
                clawback: _minter
            })
        );
        if (redemptionRate != 0) vault.registerProgram(token, redemptionRate);
    }

    /// @inheritdoc IProgramFactory
    function setNetworkRoles(address programAdmin_, address minter_, address pauser_, address registrar_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setNetworkRoles(programAdmin_, minter_, pauser_, registrar_);
    }

    /// @inheritdoc IProgramFactory
    function programAdmin() external view returns (address) {
        return _programAdmin;
    }

    /// @inheritdoc IProgramFactory
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc IProgramFactory
    function pauser() external view returns (address) {
        return _pauser;
    }

    /// @inheritdoc IProgramFactory
    function registrar() external view returns (address) {
        return _registrar;
    }

    /// @inheritdoc IProgramFactory
    function programCount() external view returns (uint256) {
        return _tokens.length;
    }

    /// @inheritdoc IProgramFactory
    function programToken(uint256 programId) external view returns (address) {
        require(programId != 0 && programId <= _tokens.length, FactoryUnknownProgram(programId));
        return _tokens[programId - 1];
    }

    /// @inheritdoc IProgramFactory
    function programIdOf(address token) external view returns (uint256) {
        return _programIds[token];
    }

    function _setNetworkRoles(address programAdmin_, address minter_, address pauser_, address registrar_) private {
        require(
            programAdmin_ != address(0) && minter_ != address(0) && pauser_ != address(0) && registrar_ != address(0),
            FactoryZeroAddress()
        );
        _programAdmin = programAdmin_;
        _minter = minter_;
        _pauser = pauser_;
        _registrar = registrar_;
        emit NetworkRolesChanged(programAdmin_, minter_, pauser_, registrar_);
    }
}
