// SPDX-License-Identifier: MIT
pragma solidity ^0.8.26;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ISponsorVault} from "../interfaces/ISponsorVault.sol";

/// @title DepositQueue
/// @notice One program's deposits in the order they were made, drawn first in first out, so every payout
/// names the deposits that funded it.
/// @dev The deposits themselves live in the vault's one mapping by id; a queue holds a program's ids and
/// the index of the oldest one not yet exhausted. Ids are never removed: everything before the head has been
/// drawn to nothing for good.
library DepositQueue {
    struct Queue {
        // Index in `ids` of the oldest deposit with something left (`ids.length` once all are exhausted).
        uint256 head;
        uint256[] ids;
    }

    /// @dev Puts deposit `depositId` at the back of the queue.
    function push(Queue storage queue, uint256 depositId) internal {
        queue.ids.push(depositId);
    }

    /// @dev Draws `amount` from the queue's deposits, oldest first, emitting {ISponsorVault-DepositDrawn} for
    /// redemption `redemptionId` once per deposit drawn. The caller has checked that the queue's deposits hold
    /// at least `amount` (otherwise the walk runs past the last id and panics). A deposit with nothing left
    /// (a withdrawn one, anywhere in the queue) is passed without an event.
    ///
    /// Every deposit the walk passes is exhausted for good, so over the vault's life the walks touch each
    /// deposit at most once plus one partial draw per redemption; the vault's minimum deposit keeps a single
    /// walk from crossing many dust deposits.
    /// @return announcedDrawn The part of `amount` drawn from deposits announced for withdrawal.
    function draw(
        Queue storage queue,
        mapping(uint256 depositId => ISponsorVault.Deposit) storage deposits,
        mapping(uint256 depositId => ISponsorVault.Withdrawal) storage withdrawals,
        uint256 redemptionId,
        uint256 amount
    ) internal returns (uint256 announcedDrawn) {
        uint256 head = queue.head;
        while (amount != 0) {
            uint256 depositId = queue.ids[head];
            ISponsorVault.Deposit storage d = deposits[depositId];
            uint256 drawn = Math.min(d.remaining, amount);
            if (drawn != 0) {
                // Cannot underflow: `drawn` is the smaller of the two. `announcedDrawn` never exceeds the
                // amount asked for.
                unchecked {
                    d.remaining -= drawn;
                    amount -= drawn;
                    if (withdrawals[depositId].withdrawableAt != 0) announcedDrawn += drawn;
                }
                emit ISponsorVault.DepositDrawn(redemptionId, depositId, d.sponsor, drawn);
            }
            if (d.remaining == 0) ++head;
        }
        queue.head = head;
    }
}
