// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

/// @title The vault that backs programs' tokens with sponsors' stablecoin.
/// @notice Errors, events and views of {SponsorVault}. A program is named by its token's address.
interface ISponsorVault {
    /// @notice One sponsor's deposit for one program; `remaining` is what redemptions have not drawn yet.
    struct Deposit {
        address sponsor;
        address program;
        uint256 amount;
        uint256 remaining;
    }

    /// @notice A deposit's withdrawal with notice: when it may be withdrawn (zero when none is announced) and
    /// whether it has been. A withdrawn deposit has nothing left and is never drawn again.
    struct Withdrawal {
        uint64 withdrawableAt;
        bool withdrawn;
    }

    /// @notice Why {redeemWithPermitBatch} left a redemption unpaid. Nothing of it happened: no tokens were
    /// burned and, except for {PermitUsed}, the retailer's permit nonce is still unused.
    enum RedemptionSkipReason {
        // The program was never registered with the vault.
        UnknownProgram,
        // The program's token is paused: its tokens cannot be burned.
        ProgramPaused,
        // The retailer is not an acceptor of the program.
        NotAcceptor,
        // The tokens are worth too little to pay anything once the fee is taken.
        RedemptionTooSmall,
        // The retailer holds fewer tokens than it signed for.
        InsufficientBalance,
        // The program's deposits left (after the batch's earlier redemptions) cannot pay it.
        InsufficientDeposits,
        // The permit's deadline has passed.
        PermitExpired,
        // The signature is not the retailer's permit of exactly these tokens to the vault at its next nonce.
        InvalidPermit,
        // The retailer's last permit, already used and its allowance spent: redeemed before, most likely.
        PermitUsed
    }

    /// @notice One retailer's redemption as {redeemWithPermitBatch} takes it: {redeemWithPermit}'s arguments.
    struct PermitRedemption {
        address program;
        address retailer;
        uint256 tokens;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice A program the factory never registered.
    error VaultUnknownProgram(address program);
    /// @notice A program may be registered once.
    error VaultProgramAlreadyRegistered(address program);
    /// @notice Redemption rates must be positive.
    error VaultZeroRate(address program);
    /// @notice A deposit below the vault's minimum (which keeps FIFO draws from crossing dust deposits).
    error VaultDepositTooSmall(uint256 amount, uint256 minimum);
    /// @notice The network fee may not exceed {MAX_FEE_BPS}.
    error VaultFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The treasury may not be the zero address.
    error VaultInvalidTreasury();
    /// @notice Only a program's registered acceptors (retailers) redeem.
    error VaultNotAcceptor(address program, address account);
    /// @notice The relayed permit is not the retailer's: neither usable now nor the one it used last.
    error VaultInvalidPermit(address program, address retailer);
    /// @notice The tokens are worth too little to pay the retailer anything once the fee is taken.
    error VaultRedemptionTooSmall(address program, uint256 tokens);
    /// @notice The program's deposits left cannot pay the redemption.
    error VaultInsufficientDeposits(address program, uint256 available, uint256 needed);
    /// @notice The sponsor's deposit authorization has expired.
    error VaultExpiredSignature(uint256 deadline);
    /// @notice The deposit authorization was not signed by the sponsor.
    error VaultInvalidDepositSignature(address sponsor);

    /// @notice No deposit has this id.
    error VaultUnknownDeposit(uint256 depositId);
    /// @notice Only the deposit's sponsor announces or cancels its withdrawal.
    error VaultNotDepositSponsor(uint256 depositId, address account);
    /// @notice The deposit's withdrawal is already announced, withdrawable from `withdrawableAt`.
    error VaultWithdrawalAlreadyAnnounced(uint256 depositId, uint256 withdrawableAt);
    /// @notice No withdrawal of the deposit is announced.
    error VaultWithdrawalNotAnnounced(uint256 depositId);
    /// @notice The deposit has been withdrawn already.
    error VaultDepositWithdrawn(uint256 depositId);
    /// @notice Redemptions have drawn the deposit to nothing: there is nothing to announce.
    error VaultNothingToWithdraw(uint256 depositId);
    /// @notice The notice period has not passed: the deposit is withdrawable from `withdrawableAt`, it is `now`.
    error VaultWithdrawalNotDue(uint256 depositId, uint256 withdrawableAt, uint256 now);
    /// @notice A notice period may not exceed {MAX_NOTICE_PERIOD}.
    error VaultNoticePeriodTooLong(uint256 noticePeriod, uint256 maxNoticePeriod);
    /// @notice The withdrawal announcement or cancellation was not signed by the deposit's sponsor.
    error VaultInvalidWithdrawalSignature(uint256 depositId, address sponsor);

    /// @notice A program became redeemable at `rate` stablecoin units per whole token (1e18 base units).
    event ProgramRegistered(address indexed program, uint256 rate);
    /// @notice Governance changed a program's redemption rate.
    event RedemptionRateChanged(address indexed program, uint256 oldRate, uint256 newRate);
    /// @notice Governance changed the network fee.
    event FeeChanged(uint256 oldFeeBps, uint256 newFeeBps);
    /// @notice Governance changed where fees go.
    event TreasuryChanged(address indexed oldTreasury, address indexed newTreasury);
    /// @notice Governance changed the smallest deposit accepted.
    event MinDepositChanged(uint256 oldMinimum, uint256 newMinimum);
    /// @notice A sponsor deposited `amount` for `program`.
    event Deposited(uint256 indexed depositId, address indexed program, address indexed sponsor, uint256 amount);
    /// @notice A retailer redeemed `tokens`; `gross` was drawn from deposits, `fee` of it went to the treasury.
    event Redeemed(
        uint256 indexed redemptionId,
        address indexed program,
        address indexed retailer,
        uint256 tokens,
        uint256 gross,
        uint256 fee
    );
    /// @notice Redemption `redemptionId` drew `amount` from deposit `depositId`; one per deposit drawn.
    event DepositDrawn(
        uint256 indexed redemptionId, uint256 indexed depositId, address indexed sponsor, uint256 amount
    );

    /// @notice Governance changed the notice period new programs get at registration.
    event DefaultNoticePeriodChanged(uint256 oldNoticePeriod, uint256 newNoticePeriod);
    /// @notice `program`'s notice period became `newNoticePeriod` seconds (at registration, `oldNoticePeriod` is 0).
    event NoticePeriodChanged(address indexed program, uint256 oldNoticePeriod, uint256 newNoticePeriod);
    /// @notice `sponsor` announced the withdrawal of what is left of deposit `depositId` at `withdrawableAt`;
    /// redemptions may draw from it until then.
    event WithdrawalAnnounced(
        uint256 indexed depositId, address indexed program, address indexed sponsor, uint256 withdrawableAt
    );
    /// @notice `sponsor` cancelled the announced withdrawal of deposit `depositId`.
    event WithdrawalCancelled(uint256 indexed depositId, address indexed program, address indexed sponsor);
    /// @notice What was left of deposit `depositId`, `amount`, went back to its sponsor.
    event Withdrawn(uint256 indexed depositId, address indexed program, address indexed sponsor, uint256 amount);

    /// @notice {redeemWithPermitBatch} left `retailer`'s redemption of `tokens` of `program` unpaid, for `reason`.
    event RedemptionSkipped(
        address indexed program, address indexed retailer, uint256 tokens, RedemptionSkipReason reason
    );

    /// @notice Governance sets a registered program's redemption rate.
    function setRedemptionRate(address program, uint256 rate) external;

    /// @notice Governance sets the network fee, at most {MAX_FEE_BPS}.
    function setFee(uint256 feeBps) external;

    /// @notice Governance sets where fees go.
    function setTreasury(address treasury) external;

    /// @notice Governance sets the smallest deposit accepted, in stablecoin units.
    function setMinDeposit(uint256 minimum) external;

    /// @notice Makes `program` redeemable at `rate`. Called by the factory when it creates a program.
    function registerProgram(address program, uint256 rate) external;

    /// @notice Deposits `amount` of the stablecoin (approved beforehand) for `program`.
    /// @return depositId The new deposit's id.
    function deposit(address program, uint256 amount) external returns (uint256 depositId);

    /// @notice Deposits for `sponsor`, who signed both an EIP-2612 permit of the stablecoin to this vault
    /// and this vault's EIP-712 `Deposit` naming the program, so a relayer cannot send the money elsewhere.
    /// @return depositId The new deposit's id.
    function depositWithPermit(
        address program,
        address sponsor,
        uint256 amount,
        uint256 deadline,
        uint8 permitV,
        bytes32 permitR,
        bytes32 permitS,
        bytes calldata depositSignature
    ) external returns (uint256 depositId);

    /// @notice Burns `tokens` of the caller's `program` tokens (approved to this vault) and pays their value,
    /// less the network fee, from the program's deposits in the order they were made.
    /// @return redemptionId The new redemption's id.
    function redeem(address program, uint256 tokens) external returns (uint256 redemptionId);

    /// @notice {redeem} for `retailer`, relayed with the retailer's EIP-2612 permit of exactly `tokens`.
    /// @return redemptionId The new redemption's id.
    function redeemWithPermit(
        address program,
        address retailer,
        uint256 tokens,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 redemptionId);

    /// @notice {redeemWithPermit} for many retailers, of any programs, in one transaction, in order: each
    /// redemption is paid (with {Redeemed} and its {DepositDrawn}s, exactly as alone) or skipped with
    /// {RedemptionSkipped} and its reason; one that cannot be paid never reverts the others.
    /// @dev Anyone may relay: each retailer's permit is the authority, and a permit someone else submitted
    /// first counts only if it is the retailer's last used one and its allowance is still there. Every check
    /// is made before the permit is used, so a skipped redemption leaves the retailer's nonce unused (but for
    /// {RedemptionSkipReason-PermitUsed}). Reverts only as a whole: while the vault is paused, or reentered.
    /// @return redeemed How many redemptions were paid.
    function redeemWithPermitBatch(PermitRedemption[] calldata redemptions) external returns (uint256 redeemed);

    /// @notice Governance sets the notice period, in seconds, that programs registered from now on get.
    function setDefaultNoticePeriod(uint256 noticePeriod) external;

    /// @notice Governance sets `program`'s notice period, in seconds. Withdrawals already announced keep the
    /// time they were announced for.
    function setNoticePeriod(address program, uint256 noticePeriod) external;

    /// @notice The caller, a deposit's sponsor, announces the withdrawal of what is left of deposit `depositId`
    /// after its program's notice period. Redemptions go on drawing from it meanwhile.
    /// @return withdrawableAt When {withdraw} may take it.
    function announceWithdrawal(uint256 depositId) external returns (uint256 withdrawableAt);

    /// @notice {announceWithdrawal} for the deposit's sponsor, relayed with the sponsor's EIP-712
    /// `AnnounceWithdrawal` signature at its next vault nonce.
    /// @return withdrawableAt When {withdraw} may take it.
    function announceWithdrawalBySig(uint256 depositId, uint256 deadline, bytes calldata signature)
        external
        returns (uint256 withdrawableAt);

    /// @notice The caller, a deposit's sponsor, cancels the announced withdrawal of deposit `depositId`.
    function cancelWithdrawal(uint256 depositId) external;

    /// @notice {cancelWithdrawal} for the deposit's sponsor, relayed with the sponsor's EIP-712
    /// `CancelWithdrawal` signature at its next vault nonce.
    function cancelWithdrawalBySig(uint256 depositId, uint256 deadline, bytes calldata signature) external;

    /// @notice Pays what is left of deposit `depositId` to its sponsor once its announced notice has passed,
    /// and closes the deposit for good (zero if redemptions drew it all during the notice).
    /// @dev Anyone may call it: the money can only go to the deposit's sponsor, at a time the sponsor chose.
    /// @return amount What was paid to the sponsor.
    function withdraw(uint256 depositId) external returns (uint256 amount);

    /// @notice The stablecoin value of `tokens` at `program`'s rate, the fee on it, and what the retailer gets.
    function quote(address program, uint256 tokens) external view returns (uint256 gross, uint256 fee, uint256 net);

    /// @notice Outstanding tokens valued at the rate, against the deposits left; solvent when covered.
    /// @dev `depositsLeft` is every deposit's `remaining`, deposits announced for withdrawal included: they
    /// still pay redemptions until withdrawn. {announcedWithdrawals} is the part of it announced to leave;
    /// withdrawn deposits count nothing.
    function solvency(address program)
        external
        view
        returns (uint256 outstandingValue, uint256 depositsLeft, bool solvent);

    /// @notice A deposit as it stands.
    function getDeposit(uint256 depositId) external view returns (Deposit memory);

    /// @notice A deposit's withdrawal: when it may be withdrawn (zero when none is announced), and whether it was.
    function getWithdrawal(uint256 depositId) external view returns (Withdrawal memory);

    /// @notice The part of `program`'s deposits left that is announced for withdrawal.
    function announcedWithdrawals(address program) external view returns (uint256);

    /// @notice `program`'s notice period, in seconds.
    function noticePeriod(address program) external view returns (uint256);

    /// @notice The notice period, in seconds, programs get when they are registered.
    function defaultNoticePeriod() external view returns (uint256);

    /// @notice What is left of a deposit.
    function depositRemaining(uint256 depositId) external view returns (uint256);

    /// @notice The redemption rate of `program` (zero when not registered).
    function redemptionRate(address program) external view returns (uint256);

    /// @notice The network fee, in basis points of a redemption's value.
    function feeBps() external view returns (uint256);

    /// @notice Where network fees go.
    function treasury() external view returns (address);

    /// @notice The smallest deposit accepted, in stablecoin units.
    function minDeposit() external view returns (uint256);
}
