-- SPDX-License-Identifier: MIT
-- Inventory analytics (GET /api/inventory/analytics) reads a location's
-- ledger entries since the start of a period, and the stock lines of the
-- lots that expire soon.
--
-- ix_txn_location carries every column that reading uses, so a location's
-- entries come from the index alone instead of one row lookup each; its
-- leading columns are unchanged, so the queries that used it still can.
-- ix_stock_lines_lot adds the location: the line of a lot at one location
-- is found without reading the lot's lines at the others. Neither column
-- added to it ever changes on a stock line.
ALTER TABLE stock_transactions
  DROP KEY ix_txn_location,
  ADD KEY ix_txn_location (workspace_id, location_id, created_at, product_id, transaction_type,
                           delta_on_hand, reference_id);

ALTER TABLE stock_lines
  DROP KEY ix_stock_lines_lot,
  ADD KEY ix_stock_lines_lot (workspace_id, lot_id, location_id);
