// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// @title A program's reward token: minted once per recorded event, spent by signed authorization.
/// @notice Errors, events and types of {RewardToken}; the implementation documents itself with @inheritdoc.
interface IRewardToken {
    /// @notice Why the batch relay left an authorization unsettled.
    enum SkipReason {
        NotYetValid,
        Expired,
        AlreadyUsed,
        InvalidSignature,
        InvalidRecipient,
        InsufficientBalance,
        ClosedLoop
    }

    /// @notice Why `mintBatch` left an event uncredited.
    enum CreditSkipReason {
        AlreadyCredited,
        InvalidRecipient
    }

    /// @notice An EIP-3009 `TransferWithAuthorization` with its signature, as the batch relay takes it.
    struct Authorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The same authorization signed by whatever signs for `from`: a key's 65-byte ECDSA signature, a
    /// contract account's ERC-1271 signature (a passkey's WebAuthn assertion), or one wrapped as ERC-6492 for an
    /// account not created yet.
    struct SignedAuthorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        bytes signature;
    }

    /// @notice `mint` was asked to credit an event id that was credited before.
    error RewardTokenEventAlreadyCredited(uint256 eventId);
    /// @notice `mintBatch` was given arrays of different lengths.
    error RewardTokenBatchLengthMismatch(uint256 recipients, uint256 amounts, uint256 eventIds);
    /// @notice `reverseCredit` was asked to reverse an event that was never credited.
    error RewardTokenEventNotCredited(uint256 eventId);
    /// @notice `reverseCredit` was asked to reverse an event whose credit was reversed before.
    error RewardTokenCreditAlreadyReversed(uint256 eventId);
    /// @notice A closed-loop program moved tokens between two accounts neither of which is an acceptor.
    error RewardTokenClosedLoop(address from, address to);
    /// @notice `permit` with a bytes signature was given one that `owner` (key or account) did not make.
    error RewardTokenInvalidPermitSignature(address owner);
    /// @notice Too little gas was left to give a contract signer's check (or its creation) all its gas: the
    /// transaction is refused whole, so that no honest payment is skipped as badly signed for want of gas.
    error RewardTokenSignatureCheckStarved(uint256 needed, uint256 left);

    /// @notice Tokens were minted for a recorded event; `eventId` will never be credited again.
    event Credited(uint256 indexed eventId, address indexed to, uint256 amount);
    /// @notice `mintBatch` skipped an event and minted nothing for it.
    event CreditSkipped(uint256 indexed eventId, address indexed to, uint256 amount, CreditSkipReason reason);
    /// @notice The credit of event `eventId` (`amount` to `holder`) was reversed: `burned` was taken back from
    /// `holder` and `shortfall` (= amount − burned) had already been spent and stays in circulation.
    event CreditReversed(
        uint256 indexed eventId, address indexed holder, uint256 amount, uint256 burned, uint256 shortfall
    );
    /// @notice The batch relay left an authorization unsettled; its nonce stays unused.
    event AuthorizationSkipped(address indexed authorizer, bytes32 indexed nonce, SkipReason reason);

    /// @notice Mints `amount` to `to` for the event `eventId`.
    /// @dev Reverts with {RewardTokenEventAlreadyCredited} if the id was credited before. Requires MINTER_ROLE.
    function mint(address to, uint256 amount, uint256 eventId) external;

    /// @notice Mints one amount per event; events already credited (or with a zero recipient) are skipped.
    /// @dev A retried batch therefore credits nothing twice. Requires MINTER_ROLE.
    /// @return credited How many events were credited by this call.
    function mintBatch(address[] calldata to, uint256[] calldata amounts, uint256[] calldata eventIds)
        external
        returns (uint256 credited);

    /// @notice Whether the event `eventId` has been credited.
    function isCredited(uint256 eventId) external view returns (bool);

    /// @notice Reverses the credit of event `eventId` (a mistaken weighing): burns `amount` from `holder`, or
    /// all it still holds when it has spent part of it, and records the rest as the shortfall.
    /// @dev The network's correction power: the burn needs no allowance or signature from `holder`. Requires
    /// CLAWBACK_ROLE (the network's operator). Reverts with {RewardTokenEventNotCredited} for an event never
    /// credited and {RewardTokenCreditAlreadyReversed} the second time; refused while paused, like every
    /// other movement of tokens. Emits {CreditReversed}, after a Transfer to the zero address when it burns.
    /// @return burned What was taken back from `holder`.
    function reverseCredit(uint256 eventId, address holder, uint256 amount) external returns (uint256 burned);

    /// @notice Whether the credit of event `eventId` has been reversed.
    function isReversed(uint256 eventId) external view returns (bool);

    /// @notice Settles many EIP-3009 transfer authorizations in one transaction.
    /// @dev An authorization that cannot settle is skipped with {AuthorizationSkipped} and leaves its nonce
    /// unused; the others settle. Anyone may relay: the signatures are the authority.
    /// @return settled How many authorizations were settled.
    function transferWithAuthorizationBatch(Authorization[] calldata authorizations)
        external
        returns (uint256 settled);

    /// @notice {transferWithAuthorizationBatch} for signatures as bytes: from keys (ECDSA) and from contract
    /// accounts (ERC-1271), creating a passkey account in front of its first payment when its signature is
    /// wrapped as ERC-6492. Skips as {transferWithAuthorizationBatch} does, for the same reasons.
    /// @return settled How many authorizations were settled.
    function transferWithSignedAuthorizationBatch(SignedAuthorization[] calldata authorizations)
        external
        returns (uint256 settled);

    /// @notice Burns `amount` of `account`'s tokens, spending the caller's allowance from `account`.
    /// @dev Requires BURNER_ROLE: the sponsor vault burns what a retailer redeems.
    function burnFrom(address account, uint256 amount) external;

    /// @notice Whether transfers need an acceptor on one side. Fixed when the program is created.
    function closedLoop() external view returns (bool);

    /// @notice Whether `account` is a registered acceptor (a retailer) of this program.
    function isAcceptor(address account) external view returns (bool);

    /// @notice Stops minting, transfers, burns and credit reversals.
    function pause() external;

    /// @notice Resumes minting, transfers, burns and credit reversals.
    function unpause() external;
}
