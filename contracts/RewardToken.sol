// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20PausableUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PausableUpgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ERC3009Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/draft-ERC3009Upgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {IRewardToken} from "./interfaces/IRewardToken.sol";
import {BoundedSignatureChecker} from "./libraries/BoundedSignatureChecker.sol";
import {CounterfactualSignature} from "./libraries/CounterfactualSignature.sol";

/// @title RewardToken
/// @notice One program's token (a recycling program or a brand's loyalty program). Deployed once as an
/// implementation and used through EIP-1167 clones made by {ProgramFactory}, hence an initializer.
contract RewardToken is
    IRewardToken,
    ERC20PausableUpgradeable,
    ERC20PermitUpgradeable,
    ERC3009Upgradeable,
    AccessControlUpgradeable,
    ReentrancyGuardTransient
{
    using CounterfactualSignature for bytes;

    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    /// @notice Held by the program's retailers; in a closed loop every transfer needs one on either side.
    bytes32 public constant ACCEPTOR_ROLE = keccak256("ACCEPTOR_ROLE");
    /// @notice Admits and removes acceptors, and nothing else.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice Reverses mistaken credits by burning from the holder without its consent (see {reverseCredit}).
    bytes32 public constant CLAWBACK_ROLE = keccak256("CLAWBACK_ROLE");
    /// @dev ERC20PermitUpgradeable keeps its own private; the bytes form of {permit} hashes the same struct.
    /// @dev Gas a contract signer may spend on one ERC-1271 answer: a passkey account's WebAuthn check costs ~25k
    /// through the P-256 precompile and ~255k in Solidity on a chain without one.
    uint256 private constant ACCOUNT_CHECK_GAS = 300_000;
    /// @dev Gas a wrapper's factory may spend creating an account (CollectorAccountFactory: ~140k).
    uint256 private constant ACCOUNT_CREATION_GAS = 300_000;
    /// @dev The CALL's own cost beyond what it passes on: a cold account and the memory of the call's data.
    uint256 private constant CALL_OVERHEAD_GAS = 5_000;
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @notice Who holds each role of a new program.
    struct Roles {
        address admin;
        address minter;
        address pauser;
        address registrar;
        address burner;
        address clawback;
    }

    /// @dev Bit `id % 256` of word `id / 256` is set once event `id` is credited. Sequential database ids
    /// share words, so a batch mostly writes warm slots (see DESIGN.md §6: ~29k gas per fresh credit).
    mapping(uint256 word => uint256 bits) private _creditedEvents;
    /// @dev EIP-3009 nonces used, as a bitmap per authorizer: bit `nonce % 256` of word `nonce / 256`. Any
    /// random nonce works; a wallet that draws one random 248-bit prefix and counts the last byte pays the
    /// 20k of a fresh slot once per 256 payments instead of once per payment, and may still sign in any order.
    mapping(address authorizer => mapping(uint256 word => uint256 bits)) private _usedAuthorizations;
    bool private _closedLoop;
    /// @dev Same layout as `_creditedEvents`: bit set once event `id`'s credit is reversed.
    mapping(uint256 word => uint256 bits) private _reversedEvents;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        // The implementation is only a template for clones: nobody may ever initialize it.
        _disableInitializers();
    }

    /// @notice Sets up a fresh clone. Callable once, by whoever creates the clone (the factory, atomically).
    function initialize(string calldata name_, string calldata symbol_, bool closedLoop_, Roles calldata roles)
        external
        initializer
    {
        __ERC20_init(name_, symbol_);
        __ERC20Pausable_init();
        __ERC20Permit_init(name_);
        __ERC3009_init();
        __AccessControl_init();
        _closedLoop = closedLoop_;
        _setRoleAdmin(ACCEPTOR_ROLE, REGISTRAR_ROLE);
        _grantRole(DEFAULT_ADMIN_ROLE, roles.admin);
        _grantRole(MINTER_ROLE, roles.minter);
        _grantRole(PAUSER_ROLE, roles.pauser);
        _grantRole(REGISTRAR_ROLE, roles.registrar);
        _grantRole(BURNER_ROLE, roles.burner);
        _grantRole(CLAWBACK_ROLE, roles.clawback);
    }

    // ---------------------------------------------------------------- minting

    /// @inheritdoc IRewardToken
    function mint(address to, uint256 amount, uint256 eventId) external onlyRole(MINTER_ROLE) {
        require(!isCredited(eventId), RewardTokenEventAlreadyCredited(eventId));
        _markCredited(eventId);
        _mint(to, amount);
        emit Credited(eventId, to, amount);
    }

    /// @inheritdoc IRewardToken
    function mintBatch(address[] calldata to, uint256[] calldata amounts, uint256[] calldata eventIds)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
        returns (uint256 credited)
    {
        uint256 count = to.length;
        require(
            amounts.length == count && eventIds.length == count,
            RewardTokenBatchLengthMismatch(count, amounts.length, eventIds.length)
        );
        for (uint256 i; i < count; ++i) {
            uint256 eventId = eventIds[i];
            if (isCredited(eventId)) {
                emit CreditSkipped(eventId, to[i], amounts[i], CreditSkipReason.AlreadyCredited);
            } else if (to[i] == address(0)) {
                emit CreditSkipped(eventId, to[i], amounts[i], CreditSkipReason.InvalidRecipient);
            } else {
                _markCredited(eventId);
                _mint(to[i], amounts[i]);
                emit Credited(eventId, to[i], amounts[i]);
                // Cannot overflow: `credited` grows at most once per iteration, so it never exceeds `count`.
                unchecked {
                    ++credited;
                }
            }
        }
    }

    /// @inheritdoc IRewardToken
    function isCredited(uint256 eventId) public view returns (bool) {
        return _creditedEvents[eventId >> 8] & (1 << (eventId & 0xff)) != 0;
    }

    function _markCredited(uint256 eventId) private {
        _creditedEvents[eventId >> 8] |= 1 << (eventId & 0xff);
    }

    // ---------------------------------------------------------------- corrections

    /// @inheritdoc IRewardToken
    /// @dev The token keeps no per-event amount or recipient (a credit costs one bit), so `holder` and `amount`
    /// are the clawback role's word; the event's Credited log is the public record to check them against.
    function reverseCredit(uint256 eventId, address holder, uint256 amount)
        external
        onlyRole(CLAWBACK_ROLE)
        whenNotPaused
        returns (uint256 burned)
    {
        require(isCredited(eventId), RewardTokenEventNotCredited(eventId));
        require(!isReversed(eventId), RewardTokenCreditAlreadyReversed(eventId));
        _reversedEvents[eventId >> 8] |= 1 << (eventId & 0xff);
        uint256 balance = balanceOf(holder);
        burned = balance < amount ? balance : amount;
        // A zero burn would log a Transfer of nothing; the reversal is recorded by its own event either way.
        if (burned != 0) _burn(holder, burned);
        // Cannot underflow: `burned` is at most `amount`.
        unchecked {
            emit CreditReversed(eventId, holder, amount, burned, amount - burned);
        }
    }

    /// @inheritdoc IRewardToken
    function isReversed(uint256 eventId) public view returns (bool) {
        return _reversedEvents[eventId >> 8] & (1 << (eventId & 0xff)) != 0;
    }

    // ---------------------------------------------------------------- spending

    /// @inheritdoc ERC3009Upgradeable
    function authorizationState(address authorizer, bytes32 nonce) public view override returns (bool) {
        return _usedAuthorizations[authorizer][uint256(nonce) >> 8] & (1 << (uint256(nonce) & 0xff)) != 0;
    }

    /// @dev The bitmap replaces ERC3009Upgradeable's one-slot-per-nonce mapping, for every path that uses one.
    function _consumeNonce(address authorizer, bytes32 nonce) internal override {
        mapping(uint256 => uint256) storage words = _usedAuthorizations[authorizer];
        uint256 word = uint256(nonce) >> 8;
        uint256 bit = 1 << (uint256(nonce) & 0xff);
        uint256 bits = words[word];
        require(bits & bit == 0, ERC3009UsedAuthorization(authorizer, nonce));
        words[word] = bits | bit;
    }

    /// @inheritdoc IRewardToken
    function transferWithAuthorizationBatch(Authorization[] calldata authorizations)
        external
        whenNotPaused
        returns (uint256 settled)
    {
        uint256 count = authorizations.length;
        // The upgradeable EIP712 recomputes the domain from the stored name on every call; once per batch will do.
        bytes32 domainSeparator = _domainSeparatorV4();
        for (uint256 i; i < count; ++i) {
            Authorization calldata a = authorizations[i];
            (bool ok, SkipReason reason) = _settleability(a, domainSeparator);
            if (!ok) {
                emit AuthorizationSkipped(a.from, a.nonce, reason);
                continue;
            }
            _settleChecked(a.from, a.to, a.value, a.nonce);
            // Cannot overflow: `settled` grows at most once per iteration, so it never exceeds `count`.
            unchecked {
                ++settled;
            }
        }
    }

    /// @dev Settles an authorization whose every check of _transferWithAuthorization has just passed (repeating
    /// the clock check would be waste): its nonce, its log, its transfer.
    function _settleChecked(address from, address to, uint256 value, bytes32 nonce) private {
        _consumeNonce(from, nonce);
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    /// @dev Every condition under which settling `a` would revert, checked without reverting.
    function _settleability(Authorization calldata a, bytes32 domainSeparator) private view returns (bool, SkipReason) {
        (bool ok, SkipReason reason) = _timeliness(a.from, a.validAfter, a.validBefore, a.nonce);
        if (!ok) return (false, reason);
        bytes32 digest = _authorizationDigest(
            domainSeparator, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce
        );
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, a.v, a.r, a.s);
        if (error != ECDSA.RecoverError.NoError || signer != a.from) return (false, SkipReason.InvalidSignature);
        return _transferability(a.from, a.to, a.value);
    }

    /// @inheritdoc IRewardToken
    function transferWithSignedAuthorizationBatch(SignedAuthorization[] calldata authorizations)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 settled)
    {
        uint256 count = authorizations.length;
        bytes32 domainSeparator = _domainSeparatorV4();
        for (uint256 i; i < count; ++i) {
            SignedAuthorization calldata a = authorizations[i];
            (bool ok, SkipReason reason) = _signedSettleability(a, domainSeparator);
            if (!ok) {
                emit AuthorizationSkipped(a.from, a.nonce, reason);
                continue;
            }
            _settleChecked(a.from, a.to, a.value, a.nonce);
            // Cannot overflow: `settled` grows at most once per iteration, so it never exceeds `count`.
            unchecked {
                ++settled;
            }
        }
    }

    /// @dev {_settleability} for a bytes signature; not a view, for it may create the signer's account first.
    function _signedSettleability(SignedAuthorization calldata a, bytes32 domainSeparator)
        private
        returns (bool, SkipReason)
    {
        (bool ok, SkipReason reason) = _timeliness(a.from, a.validAfter, a.validBefore, a.nonce);
        if (!ok) return (false, reason);
        bytes32 digest = _authorizationDigest(
            domainSeparator, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce
        );
        if (!_isValidSignature(a.from, digest, a.signature)) return (false, SkipReason.InvalidSignature);
        return _transferability(a.from, a.to, a.value);
    }

    /// @dev The clock and the nonce: the checks that come before the signature's.
    function _timeliness(address from, uint256 validAfter, uint256 validBefore, bytes32 nonce)
        private
        view
        returns (bool, SkipReason)
    {
        (bool started, bool ended) = _windowState(validAfter, validBefore);
        if (!started) return (false, SkipReason.NotYetValid);
        if (ended) return (false, SkipReason.Expired);
        if (authorizationState(from, nonce)) return (false, SkipReason.AlreadyUsed);
        return (true, SkipReason.NotYetValid);
    }

    /// @dev The recipient, the balance and the loop: the checks that come after the signature's.
    function _transferability(address from, address to, uint256 value) private view returns (bool, SkipReason) {
        if (to == address(0)) return (false, SkipReason.InvalidRecipient);
        if (balanceOf(from) < value) return (false, SkipReason.InsufficientBalance);
        if (!_loopAllows(from, to)) return (false, SkipReason.ClosedLoop);
        return (true, SkipReason.NotYetValid);
    }

    function _authorizationDigest(
        bytes32 domainSeparator,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private pure returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce))
        );
    }

    // ---------------------------------------------------------------- signatures as bytes (ERC-1271 signers)

    /// @notice EIP-3009 `transferWithAuthorization` with the signature as bytes: ECDSA from a key, ERC-1271 from
    /// a contract account, ERC-6492-wrapped from an account not created yet (Circle's FiatToken v2.2 form).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external nonReentrant {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce))
        );
        require(_isValidSignature(from, digest, signature), ERC3009InvalidSignature());
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice EIP-3009 `receiveWithAuthorization` with the signature as bytes; the caller must be the payee.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external nonReentrant {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce))
        );
        require(_isValidSignature(from, digest, signature), ERC3009InvalidSignature());
        require(to == _msgSender(), ERC20InvalidReceiver(to));
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice EIP-3009 `cancelAuthorization` with the signature as bytes.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external nonReentrant {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        require(_isValidSignature(authorizer, digest, signature), ERC3009InvalidSignature());
        _cancelAuthorization(authorizer, nonce);
    }

    /// @notice EIP-2612 `permit` with the signature as bytes (a retailer's contract account may redeem too).
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature)
        external
        nonReentrant
    {
        require(block.timestamp <= deadline, ERC2612ExpiredSignature(deadline));
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline)));
        require(_isValidSignature(owner, digest, signature), RewardTokenInvalidPermitSignature(owner));
        _approve(owner, spender, value);
    }

    /// @dev ECDSA for a key, ERC-1271 for a contract; a signature wrapped as ERC-6492 first creates its account
    /// (the one call such a wrapper may ask for), then is checked as the account's own. Contracts and factories
    /// are called with bounded gas, and only with all of it: a batch is refused whole rather than let a check
    /// that ran short of gas skip an honest payment as badly signed.
    function _isValidSignature(address signer, bytes32 digest, bytes calldata signature) private returns (bool) {
        if (!signature.isWrapped()) {
            if (signer.code.length == 0) return SignatureChecker.isValidSignatureNowCalldata(signer, digest, signature);
            _requireGasFor(ACCOUNT_CHECK_GAS);
            return BoundedSignatureChecker.isValidERC1271SignatureNow(signer, digest, signature, ACCOUNT_CHECK_GAS);
        }
        (address factory, bytes memory factoryCalldata, bytes memory inner) = signature.unwrap();
        if (signer.code.length == 0) _requireGasFor(ACCOUNT_CREATION_GAS);
        if (!CounterfactualSignature.createAccount(signer, factory, factoryCalldata, ACCOUNT_CREATION_GAS)) return false;
        _requireGasFor(ACCOUNT_CHECK_GAS);
        return BoundedSignatureChecker.isValidERC1271SignatureNow(signer, digest, inner, ACCOUNT_CHECK_GAS);
    }

    /// @dev Enough gas left that a call given `limit` gets all of it (EIP-150 passes on 63/64 of what is left).
    function _requireGasFor(uint256 limit) private view {
        uint256 needed = limit + limit / 63 + CALL_OVERHEAD_GAS;
        require(gasleft() >= needed, RewardTokenSignatureCheckStarved(needed, gasleft()));
    }

    /// @dev Same clock rules as {ERC3009Upgradeable-_checkValidity} (timestamps, or block numbers when both
    /// bounds carry the block-range flag), split so the batch relay can tell "too early" from "too late".
    function _windowState(uint256 validAfter, uint256 validBefore) private view returns (bool started, bool ended) {
        uint256 flag = validAfter & validBefore & ERC4337Utils.BLOCK_RANGE_FLAG;
        uint256 current = flag == 0 ? Time.timestamp() : Time.blockNumber();
        return (current > (validAfter & ~flag), current >= (validBefore & ~flag));
    }

    /// @inheritdoc IRewardToken
    function burnFrom(address account, uint256 amount) external onlyRole(BURNER_ROLE) {
        _spendAllowance(account, _msgSender(), amount);
        _burn(account, amount);
    }

    // ---------------------------------------------------------------- program rules

    /// @inheritdoc IRewardToken
    function closedLoop() external view returns (bool) {
        return _closedLoop;
    }

    /// @inheritdoc IRewardToken
    function isAcceptor(address account) public view returns (bool) {
        return hasRole(ACCEPTOR_ROLE, account);
    }

    /// @inheritdoc IRewardToken
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IRewardToken
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _loopAllows(address from, address to) private view returns (bool) {
        return !_closedLoop || isAcceptor(from) || isAcceptor(to);
    }

    /// @dev The one hook every balance change passes: pause (via ERC20Pausable) and the closed loop.
    function _update(address from, address to, uint256 value)
        internal
        override(ERC20Upgradeable, ERC20PausableUpgradeable)
    {
        // Mints and burns are never transfers between holders, so the loop rule does not apply to them.
        if (from != address(0) && to != address(0)) {
            require(_loopAllows(from, to), RewardTokenClosedLoop(from, to));
        }
        super._update(from, to, value);
    }

    /// @dev Advertises {IRewardToken} beside AccessControl's interfaces.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IRewardToken).interfaceId || super.supportsInterface(interfaceId);
    }
}
