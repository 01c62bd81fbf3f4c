// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// @title The registry that creates programs, each a RewardToken clone with the network's roles wired.
interface IProgramFactory {
    /// @notice No program has that id.
    error FactoryUnknownProgram(uint256 programId);
    /// @notice A network role may not be given to the zero address.
    error FactoryZeroAddress();

    /// @notice A program was created; `redemptionRate` is zero when its tokens are not redeemable.
    event ProgramCreated(
        uint256 indexed programId,
        address indexed token,
        string name,
        string symbol,
        bool closedLoop,
        uint256 redemptionRate
    );
    /// @notice Governance changed who will hold the roles of programs created from now on.
    event NetworkRolesChanged(address programAdmin, address minter, address pauser, address registrar);

    /// @notice Clones a RewardToken for a new program and registers it with the vault when `redemptionRate`
    /// (stablecoin units per whole token) is not zero.
    /// @dev Requires PROGRAM_CREATOR_ROLE.
    function createProgram(string calldata name, string calldata symbol, bool closedLoop, uint256 redemptionRate)
        external
        returns (uint256 programId, address token);

    /// @notice Sets who holds the admin, minter, pauser and registrar roles of programs created from now on;
    /// the minter also gets CLAWBACK_ROLE, to reverse the credits it made.
    /// @dev Requires DEFAULT_ADMIN_ROLE. Existing programs keep theirs; their own admin changes them.
    function setNetworkRoles(address programAdmin, address minter, address pauser, address registrar) external;

    /// @notice Who gets DEFAULT_ADMIN_ROLE of programs created from now on.
    function programAdmin() external view returns (address);

    /// @notice Who gets MINTER_ROLE and CLAWBACK_ROLE of programs created from now on.
    function minter() external view returns (address);

    /// @notice Who gets PAUSER_ROLE of programs created from now on.
    function pauser() external view returns (address);

    /// @notice Who gets REGISTRAR_ROLE (admits and removes acceptors) of programs created from now on.
    function registrar() external view returns (address);

    /// @notice How many programs exist; ids run from 1 to this.
    function programCount() external view returns (uint256);

    /// @notice The token of program `programId`.
    function programToken(uint256 programId) external view returns (address);

    /// @notice The id of the program whose token is `token`, or zero when it is not one of ours.
    function programIdOf(address token) external view returns (uint256);
}
