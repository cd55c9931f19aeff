-- SPDX-License-Identifier: MIT
-- Tenant isolation by construction: every reference from one workspace's
-- row to another row carries the workspace, (workspace_id, x_id) ->
-- x (workspace_id, id), so the database itself refuses a reference to
-- another workspace's row. Every table whose rows the API names by id gets
-- UNIQUE (workspace_id, id) for such references to point at; the
-- single-column foreign keys (and the indexes made for them) are replaced.
--
-- Not covered, and why: stock_transactions.reference_id names documents of
-- several kinds as text (no single parent table); workspaces' own keys
-- (api_keys, idempotency_keys, cycle_count_abc_config) reference only
-- workspaces; assignee and actor columns are user names, not rows.

-- A database that already holds a reference across workspaces cannot take
-- the keys: stop before changing anything, naming the first such column.
BEGIN NOT ATOMIC
  DECLARE bad VARCHAR(100);
  SET bad = (SELECT ref FROM (
    SELECT 'products.category_id' AS ref FROM products c JOIN categories p ON p.id = c.category_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'bins.location_id' FROM bins c JOIN locations p ON p.id = c.location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'lots.product_id' FROM lots c JOIN products p ON p.id = c.product_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_lines.product_id' FROM stock_lines c JOIN products p ON p.id = c.product_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_lines.location_id' FROM stock_lines c JOIN locations p ON p.id = c.location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_lines.lot_id' FROM stock_lines c JOIN lots p ON p.id = c.lot_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_lines.bin_id' FROM stock_lines c JOIN bins p ON p.id = c.bin_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_transactions.stock_line_id' FROM stock_transactions c JOIN stock_lines p ON p.id = c.stock_line_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_transactions.product_id' FROM stock_transactions c LEFT JOIN products p ON p.id = c.product_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_transactions.location_id' FROM stock_transactions c LEFT JOIN locations p ON p.id = c.location_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_transactions.reason_code_id' FROM stock_transactions c JOIN reason_codes p ON p.id = c.reason_code_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_levels.product_id' FROM inventory_levels c JOIN products p ON p.id = c.product_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_levels.location_id' FROM inventory_levels c JOIN locations p ON p.id = c.location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_levels.preferred_bin_id' FROM inventory_levels c JOIN bins p ON p.id = c.preferred_bin_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_levels.replenishment_location_id' FROM inventory_levels c JOIN locations p ON p.id = c.replenishment_location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_adjustments.stock_line_id' FROM stock_adjustments c JOIN stock_lines p ON p.id = c.stock_line_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_adjustments.product_id' FROM stock_adjustments c LEFT JOIN products p ON p.id = c.product_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_adjustments.location_id' FROM stock_adjustments c LEFT JOIN locations p ON p.id = c.location_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'stock_adjustments.transaction_id' FROM stock_adjustments c JOIN stock_transactions p ON p.id = c.transaction_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_holds.lot_id' FROM inventory_holds c JOIN lots p ON p.id = c.lot_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_hold_lines.hold_id' FROM inventory_hold_lines c JOIN inventory_holds p ON p.id = c.hold_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_hold_lines.stock_line_id' FROM inventory_hold_lines c JOIN stock_lines p ON p.id = c.stock_line_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'cycle_count_batches.location_id' FROM cycle_count_batches c JOIN locations p ON p.id = c.location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'cycle_count_lines.batch_id' FROM cycle_count_lines c JOIN cycle_count_batches p ON p.id = c.batch_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'cycle_count_lines.stock_line_id' FROM cycle_count_lines c JOIN stock_lines p ON p.id = c.stock_line_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'cycle_count_lines.product_id' FROM cycle_count_lines c LEFT JOIN products p ON p.id = c.product_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'cycle_count_lines.reason_code_id' FROM cycle_count_lines c LEFT JOIN reason_codes p ON p.id = c.reason_code_id WHERE c.reason_code_id IS NOT NULL AND (p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id)
    UNION ALL SELECT 'cycle_count_lines.transaction_id' FROM cycle_count_lines c LEFT JOIN stock_transactions p ON p.id = c.transaction_id WHERE c.transaction_id IS NOT NULL AND (p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id)
    UNION ALL SELECT 'inventory_counts.location_id' FROM inventory_counts c JOIN locations p ON p.id = c.location_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_count_items.count_id' FROM inventory_count_items c JOIN inventory_counts p ON p.id = c.count_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_count_items.stock_line_id' FROM inventory_count_items c JOIN stock_lines p ON p.id = c.stock_line_id WHERE p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_count_items.product_id' FROM inventory_count_items c LEFT JOIN products p ON p.id = c.product_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
    UNION ALL SELECT 'inventory_count_items.lot_id' FROM inventory_count_items c LEFT JOIN lots p ON p.id = c.lot_id WHERE c.lot_id IS NOT NULL AND (p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id)
    UNION ALL SELECT 'inventory_count_items.transaction_id' FROM inventory_count_items c LEFT JOIN stock_transactions p ON p.id = c.transaction_id WHERE c.transaction_id IS NOT NULL AND (p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id)
    UNION ALL SELECT 'inventory_count_items.adjustment_id' FROM inventory_count_items c LEFT JOIN stock_adjustments p ON p.id = c.adjustment_id WHERE c.adjustment_id IS NOT NULL AND (p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id)
    UNION ALL SELECT 'stock_line_counts.location_id' FROM stock_line_counts c LEFT JOIN locations p ON p.id = c.location_id WHERE p.workspace_id IS NULL OR p.workspace_id <> c.workspace_id
  ) x LIMIT 1);
  IF bad IS NOT NULL THEN
    SET bad = CONCAT('0005: ', bad, ' refers to rows of another workspace (or to none)');
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = bad;
  END IF;
END;

-- What references point at. stock_lines already had a plain index on
-- (workspace_id, id) for its lists; it becomes the unique one.
ALTER TABLE categories ADD UNIQUE KEY uq_categories_ws_id (workspace_id, id);
ALTER TABLE products ADD UNIQUE KEY uq_products_ws_id (workspace_id, id);
ALTER TABLE locations ADD UNIQUE KEY uq_locations_ws_id (workspace_id, id);
ALTER TABLE bins ADD UNIQUE KEY uq_bins_ws_id (workspace_id, id);
ALTER TABLE lots ADD UNIQUE KEY uq_lots_ws_id (workspace_id, id);
ALTER TABLE channels ADD UNIQUE KEY uq_channels_ws_id (workspace_id, id);
ALTER TABLE reason_codes ADD UNIQUE KEY uq_reason_codes_ws_id (workspace_id, id);
ALTER TABLE stock_lines DROP KEY ix_stock_lines_ws, ADD UNIQUE KEY uq_stock_lines_ws_id (workspace_id, id);
ALTER TABLE stock_transactions ADD UNIQUE KEY uq_txn_ws_id (workspace_id, id);
ALTER TABLE inventory_levels ADD UNIQUE KEY uq_levels_ws_id (workspace_id, id);
ALTER TABLE stock_adjustments ADD UNIQUE KEY uq_adj_ws_id (workspace_id, id);
ALTER TABLE inventory_holds ADD UNIQUE KEY uq_holds_ws_id (workspace_id, id);
ALTER TABLE cycle_count_batches ADD UNIQUE KEY uq_ccb_ws_id (workspace_id, id);
ALTER TABLE cycle_count_lines ADD UNIQUE KEY uq_ccl_ws_id (workspace_id, id);
ALTER TABLE inventory_counts ADD UNIQUE KEY uq_counts_ws_id (workspace_id, id);
ALTER TABLE inventory_count_items ADD UNIQUE KEY uq_count_items_ws_id (workspace_id, id);

-- Off with the single-column keys, and the indexes InnoDB made for them
-- (every composite key below has an index led by (workspace_id, column)).
ALTER TABLE products DROP FOREIGN KEY fk_products_category, DROP KEY fk_products_category;
ALTER TABLE bins DROP FOREIGN KEY fk_bins_location, DROP KEY fk_bins_location;
ALTER TABLE lots DROP FOREIGN KEY fk_lots_product, DROP KEY fk_lots_product;
ALTER TABLE stock_lines
  DROP FOREIGN KEY fk_stock_lines_product, DROP KEY fk_stock_lines_product,
  DROP FOREIGN KEY fk_stock_lines_location, DROP KEY fk_stock_lines_location,
  DROP FOREIGN KEY fk_stock_lines_lot, DROP KEY fk_stock_lines_lot,
  DROP FOREIGN KEY fk_stock_lines_bin, DROP KEY fk_stock_lines_bin;
ALTER TABLE stock_transactions
  DROP FOREIGN KEY fk_txn_line, DROP KEY fk_txn_line,
  DROP FOREIGN KEY fk_txn_reason, DROP KEY fk_txn_reason;
ALTER TABLE inventory_levels
  DROP FOREIGN KEY fk_levels_product, DROP KEY fk_levels_product,
  DROP FOREIGN KEY fk_levels_location, DROP KEY fk_levels_location,
  DROP FOREIGN KEY fk_levels_bin, DROP KEY fk_levels_bin,
  DROP FOREIGN KEY fk_levels_repl_location, DROP KEY fk_levels_repl_location;
ALTER TABLE stock_adjustments
  DROP FOREIGN KEY fk_adj_line, DROP KEY fk_adj_line,
  DROP FOREIGN KEY fk_adj_txn, DROP KEY fk_adj_txn;
ALTER TABLE inventory_holds DROP FOREIGN KEY fk_holds_lot, DROP KEY fk_holds_lot;
ALTER TABLE inventory_hold_lines
  DROP FOREIGN KEY fk_hold_lines_hold, DROP KEY fk_hold_lines_hold,
  DROP FOREIGN KEY fk_hold_lines_line, DROP KEY fk_hold_lines_line;
ALTER TABLE cycle_count_batches DROP FOREIGN KEY fk_ccb_location, DROP KEY fk_ccb_location;
ALTER TABLE cycle_count_lines
  DROP FOREIGN KEY fk_ccl_batch, DROP KEY fk_ccl_batch,
  DROP FOREIGN KEY fk_ccl_line, DROP KEY fk_ccl_line;
ALTER TABLE inventory_counts DROP FOREIGN KEY fk_counts_location, DROP KEY fk_counts_location;
ALTER TABLE inventory_count_items
  DROP FOREIGN KEY fk_count_items_count, DROP KEY fk_count_items_count,
  DROP FOREIGN KEY fk_count_items_line, DROP KEY fk_count_items_line;

-- The composite keys: the old ones under their old names, and keys for the
-- references that had none.
ALTER TABLE products
  ADD CONSTRAINT fk_products_category FOREIGN KEY (workspace_id, category_id)
    REFERENCES categories (workspace_id, id);
ALTER TABLE bins
  ADD CONSTRAINT fk_bins_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id);
ALTER TABLE lots
  ADD CONSTRAINT fk_lots_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id);
ALTER TABLE stock_lines
  ADD CONSTRAINT fk_stock_lines_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_stock_lines_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  ADD CONSTRAINT fk_stock_lines_lot FOREIGN KEY (workspace_id, lot_id)
    REFERENCES lots (workspace_id, id),
  ADD CONSTRAINT fk_stock_lines_bin FOREIGN KEY (workspace_id, bin_id)
    REFERENCES bins (workspace_id, id);
ALTER TABLE stock_transactions
  ADD KEY ix_txn_reason (workspace_id, reason_code_id),
  ADD CONSTRAINT fk_txn_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id),
  ADD CONSTRAINT fk_txn_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_txn_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  ADD CONSTRAINT fk_txn_reason FOREIGN KEY (workspace_id, reason_code_id)
    REFERENCES reason_codes (workspace_id, id);
ALTER TABLE inventory_levels
  ADD KEY ix_levels_location (workspace_id, location_id),
  ADD KEY ix_levels_bin (workspace_id, preferred_bin_id),
  ADD KEY ix_levels_repl_location (workspace_id, replenishment_location_id),
  ADD CONSTRAINT fk_levels_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_levels_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  ADD CONSTRAINT fk_levels_bin FOREIGN KEY (workspace_id, preferred_bin_id)
    REFERENCES bins (workspace_id, id),
  ADD CONSTRAINT fk_levels_repl_location FOREIGN KEY (workspace_id, replenishment_location_id)
    REFERENCES locations (workspace_id, id);
ALTER TABLE stock_adjustments
  ADD KEY ix_adj_line (workspace_id, stock_line_id),
  ADD KEY ix_adj_location (workspace_id, location_id, id),
  ADD KEY ix_adj_txn (workspace_id, transaction_id),
  ADD CONSTRAINT fk_adj_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id),
  ADD CONSTRAINT fk_adj_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_adj_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  ADD CONSTRAINT fk_adj_txn FOREIGN KEY (workspace_id, transaction_id)
    REFERENCES stock_transactions (workspace_id, id);
ALTER TABLE inventory_holds
  ADD KEY ix_holds_lot (workspace_id, lot_id),
  ADD CONSTRAINT fk_holds_lot FOREIGN KEY (workspace_id, lot_id)
    REFERENCES lots (workspace_id, id);
ALTER TABLE inventory_hold_lines
  ADD CONSTRAINT fk_hold_lines_hold FOREIGN KEY (workspace_id, hold_id)
    REFERENCES inventory_holds (workspace_id, id),
  ADD CONSTRAINT fk_hold_lines_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id);
ALTER TABLE cycle_count_batches
  ADD CONSTRAINT fk_ccb_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id);
ALTER TABLE cycle_count_lines
  ADD KEY ix_ccl_product (workspace_id, product_id),
  ADD KEY ix_ccl_reason (workspace_id, reason_code_id),
  ADD KEY ix_ccl_txn (workspace_id, transaction_id),
  ADD CONSTRAINT fk_ccl_batch FOREIGN KEY (workspace_id, batch_id)
    REFERENCES cycle_count_batches (workspace_id, id),
  ADD CONSTRAINT fk_ccl_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id),
  ADD CONSTRAINT fk_ccl_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_ccl_reason FOREIGN KEY (workspace_id, reason_code_id)
    REFERENCES reason_codes (workspace_id, id),
  ADD CONSTRAINT fk_ccl_txn FOREIGN KEY (workspace_id, transaction_id)
    REFERENCES stock_transactions (workspace_id, id);
ALTER TABLE inventory_counts
  ADD KEY ix_counts_location (workspace_id, location_id),
  ADD CONSTRAINT fk_counts_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id);
ALTER TABLE inventory_count_items
  ADD KEY ix_count_items_line (workspace_id, stock_line_id),
  ADD KEY ix_count_items_product (workspace_id, product_id),
  ADD KEY ix_count_items_lot (workspace_id, lot_id),
  ADD KEY ix_count_items_txn (workspace_id, transaction_id),
  ADD KEY ix_count_items_adj (workspace_id, adjustment_id),
  ADD CONSTRAINT fk_count_items_count FOREIGN KEY (workspace_id, count_id)
    REFERENCES inventory_counts (workspace_id, id),
  ADD CONSTRAINT fk_count_items_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id),
  ADD CONSTRAINT fk_count_items_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  ADD CONSTRAINT fk_count_items_lot FOREIGN KEY (workspace_id, lot_id)
    REFERENCES lots (workspace_id, id),
  ADD CONSTRAINT fk_count_items_txn FOREIGN KEY (workspace_id, transaction_id)
    REFERENCES stock_transactions (workspace_id, id),
  ADD CONSTRAINT fk_count_items_adj FOREIGN KEY (workspace_id, adjustment_id)
    REFERENCES stock_adjustments (workspace_id, id);
ALTER TABLE stock_line_counts
  ADD CONSTRAINT fk_line_counts_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id);
