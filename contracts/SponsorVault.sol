// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IRewardToken} from "./interfaces/IRewardToken.sol";
import {ISponsorVault} from "./interfaces/ISponsorVault.sol";
import {DepositQueue} from "./libraries/DepositQueue.sol";

/// @title SponsorVault
/// @notice Holds sponsors' stablecoin per program and pays retailers who redeem the program's tokens, first
/// in first out across deposits, so every payout names the deposits that funded it.
contract SponsorVault is ISponsorVault, AccessControl, Pausable, ReentrancyGuard, EIP712, Nonces {
    using SafeERC20 for IERC20;
    using DepositQueue for DepositQueue.Queue;

    bytes32 public constant PROGRAM_REGISTRAR_ROLE = keccak256("PROGRAM_REGISTRAR_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @dev EIP-2612's Permit struct, to recognise a retailer's permit that someone else submitted first.
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 public constant DEPOSIT_TYPEHASH =
        keccak256("Deposit(address sponsor,address program,uint256 amount,uint256 nonce,uint256 deadline)");
    bytes32 public constant ANNOUNCE_WITHDRAWAL_TYPEHASH =
        keccak256("AnnounceWithdrawal(address sponsor,uint256 depositId,uint256 nonce,uint256 deadline)");
    bytes32 public constant CANCEL_WITHDRAWAL_TYPEHASH =
        keccak256("CancelWithdrawal(address sponsor,uint256 depositId,uint256 nonce,uint256 deadline)");

    uint256 public constant MAX_FEE_BPS = 1_000;
    uint256 private constant BPS = 10_000;
    /// @dev Rates are stablecoin units per whole token; every RewardToken has 18 decimals.
    uint256 private constant TOKEN_UNIT = 1e18;
    /// @notice The longest notice period governance may set, so a sponsor's money is never locked for good.
    uint256 public constant MAX_NOTICE_PERIOD = 365 days;

    /// @dev A registered program: its rate (stablecoin units per whole token, zero when unregistered), the sum
    /// of its deposits' `remaining`, the part of that sum announced for withdrawal, its notice period in
    /// seconds, and its deposits in the order they were made.
    struct ProgramBook {
        uint256 rate;
        uint256 available;
        uint256 announced;
        uint256 noticePeriod;
        DepositQueue.Queue deposits;
    }

    /// @notice The stablecoin sponsors deposit and retailers are paid in.
    IERC20 public immutable stablecoin;

    uint256 private _feeBps;
    address private _treasury;
    uint256 private _minDeposit;
    uint256 private _defaultNoticePeriod;

    mapping(address program => ProgramBook) private _books;
    mapping(uint256 depositId => Deposit) private _deposits;
    mapping(uint256 depositId => Withdrawal) private _withdrawals;
    uint256 private _depositCount;
    uint256 private _redemptionCount;

    /// @param stablecoin_ the stablecoin deposits and payouts are made in (EIP-2612 for {depositWithPermit})
    /// @param governance gets DEFAULT_ADMIN_ROLE and PAUSER_ROLE
    /// @param treasury_ where network fees go
    /// @param feeBps_ the network fee in basis points, at most {MAX_FEE_BPS}
    /// @param minDeposit_ the smallest deposit accepted, in stablecoin units
    /// @dev New programs get a notice period of 7 days until governance calls {setDefaultNoticePeriod}.
    constructor(IERC20 stablecoin_, address governance, address treasury_, uint256 feeBps_, uint256 minDeposit_)
        EIP712("SponsorVault", "1")
    {
        stablecoin = stablecoin_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _grantRole(PAUSER_ROLE, governance);
        _setTreasury(treasury_);
        _setFee(feeBps_);
        _setMinDeposit(minDeposit_);
        _setDefaultNoticePeriod(7 days);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ISponsorVault
    function registerProgram(address program, uint256 rate) external onlyRole(PROGRAM_REGISTRAR_ROLE) {
        ProgramBook storage book = _books[program];
        require(book.rate == 0, VaultProgramAlreadyRegistered(program));
        require(rate != 0, VaultZeroRate(program));
        book.rate = rate;
        emit ProgramRegistered(program, rate);
        _setNoticePeriod(book, program, _defaultNoticePeriod);
    }

    /// @inheritdoc ISponsorVault
    function setRedemptionRate(address program, uint256 rate) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ProgramBook storage book = _knownBook(program);
        require(rate != 0, VaultZeroRate(program));
        uint256 oldRate = book.rate;
        book.rate = rate;
        emit RedemptionRateChanged(program, oldRate, rate);
    }

    /// @inheritdoc ISponsorVault
    function setFee(uint256 feeBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFee(feeBps_);
    }

    /// @inheritdoc ISponsorVault
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    /// @inheritdoc ISponsorVault
    function setMinDeposit(uint256 minimum) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMinDeposit(minimum);
    }

    /// @inheritdoc ISponsorVault
    function setDefaultNoticePeriod(uint256 noticePeriod_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setDefaultNoticePeriod(noticePeriod_);
    }

    /// @inheritdoc ISponsorVault
    function setNoticePeriod(address program, uint256 noticePeriod_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setNoticePeriod(_knownBook(program), program, noticePeriod_);
    }

    /// @notice Stops deposits, redemptions and withdrawals (announcing and cancelling go on).
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes deposits, redemptions and withdrawals.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- deposits

    /// @inheritdoc ISponsorVault
    function deposit(address program, uint256 amount) external nonReentrant whenNotPaused returns (uint256) {
        return _deposit(program, _msgSender(), amount);
    }

    /// @inheritdoc ISponsorVault
    function depositWithPermit(
        address program,
        address sponsor,
        uint256 amount,
        uint256 deadline,
        uint8 permitV,
        bytes32 permitR,
        bytes32 permitS,
        bytes calldata depositSignature
    ) external nonReentrant whenNotPaused returns (uint256) {
        require(block.timestamp <= deadline, VaultExpiredSignature(deadline));
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(DEPOSIT_TYPEHASH, sponsor, program, amount, _useNonce(sponsor), deadline))
        );
        require(
            SignatureChecker.isValidSignatureNow(sponsor, digest, depositSignature),
            VaultInvalidDepositSignature(sponsor)
        );
        // A permit seen in the mempool can be front-run; the allowance it grants is all that matters.
        try IERC20Permit(address(stablecoin)).permit(sponsor, address(this), amount, deadline, permitV, permitR, permitS) {}
            catch {}
        return _deposit(program, sponsor, amount);
    }

    function _deposit(address program, address sponsor, uint256 amount) private returns (uint256 depositId) {
        ProgramBook storage book = _knownBook(program);
        uint256 minimum = _minDeposit;
        require(amount >= minimum && amount != 0, VaultDepositTooSmall(amount, minimum));
        depositId = ++_depositCount;
        _deposits[depositId] = Deposit({sponsor: sponsor, program: program, amount: amount, remaining: amount});
        book.deposits.push(depositId);
        book.available += amount;
        emit Deposited(depositId, program, sponsor, amount);
        stablecoin.safeTransferFrom(sponsor, address(this), amount);
    }

    // ---------------------------------------------------------------- redemptions

    /// @inheritdoc ISponsorVault
    function redeem(address program, uint256 tokens) external nonReentrant whenNotPaused returns (uint256) {
        return _redeem(program, _msgSender(), tokens);
    }

    /// @inheritdoc ISponsorVault
    function redeemWithPermit(
        address program,
        address retailer,
        uint256 tokens,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (uint256) {
        try IERC20Permit(program).permit(retailer, address(this), tokens, deadline, v, r, s) {}
        catch {
            // Someone may have submitted the permit first. Go on only if this signature is the retailer's
            // permit that was just used, or anyone could redeem an allowance at a time the retailer did not choose.
            require(
                _isLastUsedPermit(program, retailer, tokens, deadline, v, r, s), VaultInvalidPermit(program, retailer)
            );
        }
        return _redeem(program, retailer, tokens);
    }

    /// @inheritdoc ISponsorVault
    function redeemWithPermitBatch(PermitRedemption[] calldata redemptions)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 redeemed)
    {
        uint256 count = redemptions.length;
        for (uint256 i; i < count; ++i) {
            PermitRedemption calldata p = redemptions[i];
            ProgramBook storage book = _books[p.program];
            (bool ok, RedemptionSkipReason reason, uint256 gross, uint256 fee, uint256 net) = _redeemability(p, book);
            // The permit last: once it is used, nothing below can fail, so a skip never wastes the retailer's nonce.
            if (ok) (ok, reason) = _usePermit(p);
            if (!ok) {
                emit RedemptionSkipped(p.program, p.retailer, p.tokens, reason);
                continue;
            }
            _payOut(book, p.program, p.retailer, p.tokens, gross, fee, net);
            // Cannot overflow: `redeemed` grows at most once per iteration, so it never exceeds `count`.
            unchecked {
                ++redeemed;
            }
        }
    }

    /// @dev Every condition under which {_redeem} or the burn would revert, checked without reverting, and
    /// the quote when none holds. Deposits are read as the batch's earlier redemptions left them.
    function _redeemability(PermitRedemption calldata p, ProgramBook storage book)
        private
        view
        returns (bool, RedemptionSkipReason, uint256 gross, uint256 fee, uint256 net)
    {
        // An unknown address is never called: only the factory's tokens are registered.
        if (book.rate == 0) return (false, RedemptionSkipReason.UnknownProgram, 0, 0, 0);
        if (Pausable(p.program).paused()) return (false, RedemptionSkipReason.ProgramPaused, 0, 0, 0);
        if (!IRewardToken(p.program).isAcceptor(p.retailer)) return (false, RedemptionSkipReason.NotAcceptor, 0, 0, 0);
        (gross, fee, net) = _quote(book.rate, p.tokens);
        if (net == 0) return (false, RedemptionSkipReason.RedemptionTooSmall, 0, 0, 0);
        if (IERC20(p.program).balanceOf(p.retailer) < p.tokens) {
            return (false, RedemptionSkipReason.InsufficientBalance, 0, 0, 0);
        }
        if (book.available < gross) return (false, RedemptionSkipReason.InsufficientDeposits, 0, 0, 0);
        return (true, RedemptionSkipReason.UnknownProgram, gross, fee, net);
    }

    /// @dev The permit, as {redeemWithPermit} takes it: used now, or the retailer's last used one (front-run)
    /// whose allowance still covers the tokens, so the burn cannot fail.
    function _usePermit(PermitRedemption calldata p) private returns (bool, RedemptionSkipReason) {
        try IERC20Permit(p.program).permit(p.retailer, address(this), p.tokens, p.deadline, p.v, p.r, p.s) {
            return (true, RedemptionSkipReason.UnknownProgram);
        } catch {
            if (_isLastUsedPermit(p.program, p.retailer, p.tokens, p.deadline, p.v, p.r, p.s)) {
                if (IERC20(p.program).allowance(p.retailer, address(this)) >= p.tokens) {
                    return (true, RedemptionSkipReason.UnknownProgram);
                }
                return (false, RedemptionSkipReason.PermitUsed);
            }
            if (block.timestamp > p.deadline) return (false, RedemptionSkipReason.PermitExpired);
            return (false, RedemptionSkipReason.InvalidPermit);
        }
    }

    function _redeem(address program, address retailer, uint256 tokens) private returns (uint256) {
        ProgramBook storage book = _knownBook(program);
        require(IRewardToken(program).isAcceptor(retailer), VaultNotAcceptor(program, retailer));
        (uint256 gross, uint256 fee, uint256 net) = _quote(book.rate, tokens);
        // The fee rounds up, so a redemption worth a unit or two could leave the retailer nothing.
        require(net != 0, VaultRedemptionTooSmall(program, tokens));
        require(book.available >= gross, VaultInsufficientDeposits(program, book.available, gross));
        return _payOut(book, program, retailer, tokens, gross, fee, net);
    }

    /// @dev Pays a redemption every check has passed: draws `gross` from the deposits, burns, pays out.
    function _payOut(
        ProgramBook storage book,
        address program,
        address retailer,
        uint256 tokens,
        uint256 gross,
        uint256 fee,
        uint256 net
    ) private returns (uint256 redemptionId) {
        redemptionId = ++_redemptionCount;
        book.available -= gross;
        uint256 announcedDrawn = book.deposits.draw(_deposits, _withdrawals, redemptionId, gross);
        if (announcedDrawn != 0) book.announced -= announcedDrawn;
        emit Redeemed(redemptionId, program, retailer, tokens, gross, fee);

        IRewardToken(program).burnFrom(retailer, tokens);
        stablecoin.safeTransfer(retailer, net);
        if (fee != 0) stablecoin.safeTransfer(_treasury, fee);
    }

    function _isLastUsedPermit(
        address program,
        address retailer,
        uint256 tokens,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private view returns (bool) {
        uint256 nextNonce = IERC20Permit(program).nonces(retailer);
        if (nextNonce == 0) return false;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, retailer, address(this), tokens, nextNonce - 1, deadline));
        bytes32 digest = MessageHashUtils.toTypedDataHash(IERC20Permit(program).DOMAIN_SEPARATOR(), structHash);
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, v, r, s);
        return error == ECDSA.RecoverError.NoError && signer == retailer;
    }

    // ---------------------------------------------------------------- withdrawals

    /// @inheritdoc ISponsorVault
    function announceWithdrawal(uint256 depositId) external returns (uint256) {
        return _announceWithdrawal(depositId, _knownDeposit(depositId), _msgSender());
    }

    /// @inheritdoc ISponsorVault
    function announceWithdrawalBySig(uint256 depositId, uint256 deadline, bytes calldata signature)
        external
        returns (uint256)
    {
        Deposit storage d = _knownDeposit(depositId);
        _checkWithdrawalSignature(ANNOUNCE_WITHDRAWAL_TYPEHASH, depositId, d.sponsor, deadline, signature);
        return _announceWithdrawal(depositId, d, d.sponsor);
    }

    /// @inheritdoc ISponsorVault
    function cancelWithdrawal(uint256 depositId) external {
        _cancelWithdrawal(depositId, _knownDeposit(depositId), _msgSender());
    }

    /// @inheritdoc ISponsorVault
    function cancelWithdrawalBySig(uint256 depositId, uint256 deadline, bytes calldata signature) external {
        Deposit storage d = _knownDeposit(depositId);
        _checkWithdrawalSignature(CANCEL_WITHDRAWAL_TYPEHASH, depositId, d.sponsor, deadline, signature);
        _cancelWithdrawal(depositId, d, d.sponsor);
    }

    /// @inheritdoc ISponsorVault
    function withdraw(uint256 depositId) external nonReentrant whenNotPaused returns (uint256 amount) {
        Deposit storage d = _knownDeposit(depositId);
        Withdrawal storage w = _withdrawals[depositId];
        require(!w.withdrawn, VaultDepositWithdrawn(depositId));
        uint256 withdrawableAt = w.withdrawableAt;
        require(withdrawableAt != 0, VaultWithdrawalNotAnnounced(depositId));
        require(
            block.timestamp >= withdrawableAt, VaultWithdrawalNotDue(depositId, withdrawableAt, block.timestamp)
        );
        ProgramBook storage book = _books[d.program];
        amount = d.remaining;
        d.remaining = 0;
        w.withdrawn = true;
        book.available -= amount;
        book.announced -= amount;
        address sponsor = d.sponsor;
        emit Withdrawn(depositId, d.program, sponsor, amount);
        if (amount != 0) stablecoin.safeTransfer(sponsor, amount);
    }

    function _announceWithdrawal(uint256 depositId, Deposit storage d, address account)
        private
        returns (uint256 withdrawableAt)
    {
        require(account == d.sponsor, VaultNotDepositSponsor(depositId, account));
        Withdrawal storage w = _withdrawals[depositId];
        require(!w.withdrawn, VaultDepositWithdrawn(depositId));
        require(w.withdrawableAt == 0, VaultWithdrawalAlreadyAnnounced(depositId, w.withdrawableAt));
        uint256 remaining = d.remaining;
        require(remaining != 0, VaultNothingToWithdraw(depositId));
        ProgramBook storage book = _books[d.program];
        // Fits in 64 bits: a timestamp plus at most MAX_NOTICE_PERIOD.
        withdrawableAt = block.timestamp + book.noticePeriod;
        w.withdrawableAt = uint64(withdrawableAt);
        book.announced += remaining;
        emit WithdrawalAnnounced(depositId, d.program, account, withdrawableAt);
    }

    function _cancelWithdrawal(uint256 depositId, Deposit storage d, address account) private {
        require(account == d.sponsor, VaultNotDepositSponsor(depositId, account));
        Withdrawal storage w = _withdrawals[depositId];
        require(!w.withdrawn, VaultDepositWithdrawn(depositId));
        require(w.withdrawableAt != 0, VaultWithdrawalNotAnnounced(depositId));
        w.withdrawableAt = 0;
        _books[d.program].announced -= d.remaining;
        emit WithdrawalCancelled(depositId, d.program, account);
    }

    /// @dev Checks the sponsor's EIP-712 `typehash` signature over `depositId` at its next nonce, and uses the nonce.
    function _checkWithdrawalSignature(
        bytes32 typehash,
        uint256 depositId,
        address sponsor,
        uint256 deadline,
        bytes calldata signature
    ) private {
        require(block.timestamp <= deadline, VaultExpiredSignature(deadline));
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(typehash, sponsor, depositId, _useNonce(sponsor), deadline)));
        require(
            SignatureChecker.isValidSignatureNow(sponsor, digest, signature),
            VaultInvalidWithdrawalSignature(depositId, sponsor)
        );
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ISponsorVault
    function quote(address program, uint256 tokens) external view returns (uint256, uint256, uint256) {
        return _quote(_knownBook(program).rate, tokens);
    }

    /// @inheritdoc ISponsorVault
    function solvency(address program) external view returns (uint256 outstandingValue, uint256 depositsLeft, bool) {
        ProgramBook storage book = _knownBook(program);
        outstandingValue = Math.mulDiv(IERC20(program).totalSupply(), book.rate, TOKEN_UNIT);
        depositsLeft = book.available;
        return (outstandingValue, depositsLeft, depositsLeft >= outstandingValue);
    }

    /// @inheritdoc ISponsorVault
    function getDeposit(uint256 depositId) external view returns (Deposit memory) {
        return _deposits[depositId];
    }

    /// @inheritdoc ISponsorVault
    function getWithdrawal(uint256 depositId) external view returns (Withdrawal memory) {
        return _withdrawals[depositId];
    }

    /// @inheritdoc ISponsorVault
    function announcedWithdrawals(address program) external view returns (uint256) {
        return _books[program].announced;
    }

    /// @inheritdoc ISponsorVault
    function noticePeriod(address program) external view returns (uint256) {
        return _books[program].noticePeriod;
    }

    /// @inheritdoc ISponsorVault
    function defaultNoticePeriod() external view returns (uint256) {
        return _defaultNoticePeriod;
    }

    /// @inheritdoc ISponsorVault
    function depositRemaining(uint256 depositId) external view returns (uint256) {
        return _deposits[depositId].remaining;
    }

    /// @inheritdoc ISponsorVault
    function redemptionRate(address program) external view returns (uint256) {
        return _books[program].rate;
    }

    /// @inheritdoc ISponsorVault
    function feeBps() external view returns (uint256) {
        return _feeBps;
    }

    /// @inheritdoc ISponsorVault
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc ISponsorVault
    function minDeposit() external view returns (uint256) {
        return _minDeposit;
    }

    /// @notice How many deposits and redemptions the vault has recorded (ids run from 1 to these).
    function counts() external view returns (uint256 deposits, uint256 redemptions) {
        return (_depositCount, _redemptionCount);
    }

    /// @notice The EIP-712 nonce a sponsor's next `Deposit`, `AnnounceWithdrawal` or `CancelWithdrawal`
    /// authorization must carry (one sequence for all three).
    function nonces(address owner) public view override returns (uint256) {
        return super.nonces(owner);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Value rounds down and the fee rounds up, so splitting a redemption never dodges the fee and the
    /// vault never pays out more than the tokens are worth.
    function _quote(uint256 rate, uint256 tokens) private view returns (uint256 gross, uint256 fee, uint256 net) {
        gross = Math.mulDiv(tokens, rate, TOKEN_UNIT);
        fee = Math.mulDiv(gross, _feeBps, BPS, Math.Rounding.Ceil);
        net = gross - fee;
    }

    function _knownBook(address program) private view returns (ProgramBook storage book) {
        book = _books[program];
        require(book.rate != 0, VaultUnknownProgram(program));
    }

    function _knownDeposit(uint256 depositId) private view returns (Deposit storage d) {
        d = _deposits[depositId];
        require(d.sponsor != address(0), VaultUnknownDeposit(depositId));
    }

    function _setDefaultNoticePeriod(uint256 noticePeriod_) private {
        require(noticePeriod_ <= MAX_NOTICE_PERIOD, VaultNoticePeriodTooLong(noticePeriod_, MAX_NOTICE_PERIOD));
        uint256 oldNoticePeriod = _defaultNoticePeriod;
        _defaultNoticePeriod = noticePeriod_;
        emit DefaultNoticePeriodChanged(oldNoticePeriod, noticePeriod_);
    }

    function _setNoticePeriod(ProgramBook storage book, address program, uint256 noticePeriod_) private {
        require(noticePeriod_ <= MAX_NOTICE_PERIOD, VaultNoticePeriodTooLong(noticePeriod_, MAX_NOTICE_PERIOD));
        uint256 oldNoticePeriod = book.noticePeriod;
        book.noticePeriod = noticePeriod_;
        emit NoticePeriodChanged(program, oldNoticePeriod, noticePeriod_);
    }

    function _setFee(uint256 feeBps_) private {
        require(feeBps_ <= MAX_FEE_BPS, VaultFeeTooHigh(feeBps_, MAX_FEE_BPS));
        uint256 oldFeeBps = _feeBps;
        _feeBps = feeBps_;
        emit FeeChanged(oldFeeBps, feeBps_);
    }

    function _setTreasury(address treasury_) private {
        require(treasury_ != address(0), VaultInvalidTreasury());
        address oldTreasury = _treasury;
        _treasury = treasury_;
        emit TreasuryChanged(oldTreasury, treasury_);
    }

    function _setMinDeposit(uint256 minimum) private {
        uint256 oldMinimum = _minDeposit;
        _minDeposit = minimum;
        emit MinDepositChanged(oldMinimum, minimum);
    }
}
