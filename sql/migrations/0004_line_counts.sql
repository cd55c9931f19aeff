-- SPDX-License-Identifier: MIT
-- The number of stock lines per workspace and location, and indexes for
-- lists ordered by id. Lists filtered by location answer their total from
-- stock_line_counts instead of counting tens of thousands of index entries
-- on every page. The ledger, which alone
-- creates stock lines, adds to it in the same transaction; stock lines are
-- never deleted (the ledger refers to them).

CREATE TABLE stock_line_counts (
  workspace_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  line_count BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, location_id)
) ENGINE=InnoDB;

INSERT INTO stock_line_counts (workspace_id, location_id, line_count)
SELECT workspace_id, location_id, COUNT(*) FROM stock_lines GROUP BY workspace_id, location_id;

-- Lists ordered by id within a workspace, a location or a product: the
-- index gives the order, so a page never scans the table in id order.
ALTER TABLE stock_lines ADD KEY ix_stock_lines_ws (workspace_id, id);
ALTER TABLE stock_transactions
  ADD KEY ix_txn_location_id (workspace_id, location_id, id),
  ADD KEY ix_txn_product_id (workspace_id, product_id, id);
