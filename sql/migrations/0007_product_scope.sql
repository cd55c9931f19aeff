-- SPDX-License-Identifier: MIT
-- Counts and stock adjustments by product: an item or an adjustment names
-- a product at a location (narrowed to a lot and/or a bin when given), not
-- one stock line. It compares with the sum of the product's lines there and
-- its difference is spread over them by the ledger's rule (ledger_post_scope),
-- so neither keeps an empty stock line to compare with.
--
-- stock_line_id stays the line when there is exactly one: named by
-- inventoryItemId, or the one line an applied change touched; NULL for a
-- product-level adjustment still pending or one that touched several lines.
-- Every new reference carries the workspace, like those of 0005.

-- Items of a count in progress named one exact line; read as a scope they
-- could cover more lines. Finish or cancel such counts before upgrading.
BEGIN NOT ATOMIC
  IF EXISTS (SELECT 1 FROM inventory_counts WHERE in_progress_key IS NOT NULL) THEN
    SIGNAL SQLSTATE '45000'
      SET MESSAGE_TEXT = '0007: complete or cancel the inventory counts in progress first';
  END IF;
END;

ALTER TABLE inventory_count_items
  MODIFY stock_line_id BIGINT UNSIGNED NULL,
  ADD location_id BIGINT UNSIGNED NULL AFTER product_id,
  ADD bin_id BIGINT UNSIGNED NULL AFTER lot_id,
  ADD lot_key BIGINT UNSIGNED AS (IFNULL(lot_id, 0)) PERSISTENT,
  ADD bin_key BIGINT UNSIGNED AS (IFNULL(bin_id, 0)) PERSISTENT;

UPDATE inventory_count_items i JOIN stock_lines sl ON sl.id = i.stock_line_id
SET i.location_id = sl.location_id, i.bin_id = sl.bin_id;

-- An item is one product (and lot and bin, when given) at one location of
-- a count: counting it again replaces it.
ALTER TABLE inventory_count_items
  MODIFY location_id BIGINT UNSIGNED NOT NULL,
  DROP KEY uq_count_items_line,
  ADD UNIQUE KEY uq_count_items_scope (workspace_id, count_id, product_id, location_id, lot_key, bin_key),
  ADD CONSTRAINT fk_count_items_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  ADD CONSTRAINT fk_count_items_bin FOREIGN KEY (workspace_id, bin_id)
    REFERENCES bins (workspace_id, id);

-- quantity_before and quantity_after: on hand of what the adjustment names
-- (all the product's lines in its scope) before and after it was applied.
ALTER TABLE stock_adjustments
  MODIFY stock_line_id BIGINT UNSIGNED NULL,
  ADD lot_id BIGINT UNSIGNED NULL AFTER location_id,
  ADD bin_id BIGINT UNSIGNED NULL AFTER lot_id,
  ADD quantity_before BIGINT NULL AFTER quantity_change,
  ADD quantity_after BIGINT NULL AFTER quantity_before,
  ADD CONSTRAINT fk_adj_lot FOREIGN KEY (workspace_id, lot_id) REFERENCES lots (workspace_id, id),
  ADD CONSTRAINT fk_adj_bin FOREIGN KEY (workspace_id, bin_id) REFERENCES bins (workspace_id, id);

UPDATE stock_adjustments a JOIN stock_lines sl ON sl.id = a.stock_line_id
SET a.lot_id = sl.lot_id, a.bin_id = sl.bin_id;

UPDATE stock_adjustments a JOIN stock_transactions t ON t.id = a.transaction_id
SET a.quantity_before = t.qty_before, a.quantity_after = t.qty_after;
