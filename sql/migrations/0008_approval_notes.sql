-- SPDX-License-Identifier: MIT
-- The notes a manager gives when approving a stock adjustment (seed 004:
-- "Notes about approval"), kept on the adjustment and answered as
-- approvalNotes.
ALTER TABLE stock_adjustments ADD COLUMN approval_notes VARCHAR(1000) NULL AFTER approved_at;
