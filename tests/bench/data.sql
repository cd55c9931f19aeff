-- SPDX-License-Identifier: MIT
-- Benchmark data for one workspace, generated inside MariaDB with
-- INSERT ... SELECT over the Sequence engine (seq_1_to_N), so a million
-- stock lines load in seconds. scripts/bench runs it once per workspace
-- after setting these session variables:
--
--   @ws            the workspace's id (made by `inventoryctl workspace create`)
--   @products      products
--   @categories    categories (products are spread over them)
--   @locations     locations
--   @bins          bins per location
--   @channels      sales channels
--   @lots          lots per product (expiry dates mostly in the future, ~1% past)
--   @bins_per_lot  bins that hold each lot at each location
--
-- Every product has stock at every location, in each of its lots, in
-- @bins_per_lot bins: products x locations x lots x bins_per_lot stock lines.
-- Each stock line gets the one IMPORT transaction that explains its
-- quantities, so `inventoryctl ledger verify` passes. Ids are explicit and
-- contiguous per workspace (the benchmark draws random ids from the ranges).
-- lot_key and bin_key are generated columns: never inserted.
--
-- Also creates floor_log, the table of the floor responder's writes (a
-- benchmark table, not part of the schema in sql/migrations).

CREATE TABLE IF NOT EXISTS floor_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  delta INT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The data is consistent by construction; checking each key row by row
-- would only slow the load down.
SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0;

SET @cat_base = (SELECT IFNULL(MAX(id), 0) FROM categories);
INSERT INTO categories (id, workspace_id, name)
SELECT @cat_base + seq, @ws, CONCAT('Category ', LPAD(seq, 3, '0'))
FROM seq_1_to_100000 WHERE seq <= @categories;

SET @prod_base = (SELECT IFNULL(MAX(id), 0) FROM products);
INSERT INTO products (id, workspace_id, global_sku, name, category_id, unit_cost,
                      lot_controlled, expiry_tracked)
SELECT @prod_base + seq, @ws, CONCAT('SKU-', LPAD(seq, 6, '0')),
       CONCAT(ELT(1 + seq % 6, 'Sparkling Water', 'Granola Bar', 'Hand Soap', 'Gauze Pads',
                  'USB-C Cable', 'Sticky Notes'), ' ',
              ELT(1 + (seq DIV 6) % 5, 'Small', 'Medium', 'Large', 'Value Pack', 'Travel Size'),
              ' #', seq),
       @cat_base + 1 + seq % @categories, ROUND(1 + (seq * 37 % 6000) / 100, 2), 1, 1
FROM seq_1_to_10000000 WHERE seq <= @products;

SET @loc_base = (SELECT IFNULL(MAX(id), 0) FROM locations);
INSERT INTO locations (id, workspace_id, code, name, location_type)
SELECT @loc_base + seq, @ws, CONCAT('LOC-', LPAD(seq, 2, '0')),
       CONCAT(ELT(1 + seq % 3, 'Warehouse', 'Store', 'Clinic'), ' ', seq),
       ELT(1 + seq % 3, 'WAREHOUSE', 'STORE', 'CLINIC')
FROM seq_1_to_10000 WHERE seq <= @locations;

SET @bin_base = (SELECT IFNULL(MAX(id), 0) FROM bins);
INSERT INTO bins (id, workspace_id, location_id, name)
SELECT @bin_base + seq, @ws, @loc_base + 1 + (seq - 1) DIV @bins,
       CONCAT(ELT(1 + ((seq - 1) % @bins) % 4, 'A', 'B', 'C', 'D'), '-',
              LPAD(1 + (seq - 1) % @bins, 3, '0'))
FROM seq_1_to_1000000 WHERE seq <= @locations * @bins;

INSERT INTO channels (workspace_id, code, name, channel_type, low_atp_threshold,
                      critical_atp_threshold)
SELECT @ws, CONCAT('CH-', seq), CONCAT('Channel ', seq),
       ELT(1 + seq % 5, 'E_COMMERCE', 'RETAIL', 'WHOLESALE', 'MARKETPLACE', 'INTERNAL'),
       10 * seq, seq
FROM seq_1_to_1000 WHERE seq <= @channels;

-- ATP policies: every channel but the first promises a share of the stock
-- (50 to 95 %) less a safety stock, and overrides it at the first location.
INSERT INTO channel_atp_policies (workspace_id, channel_id, location_id, allocation_percent,
                                  safety_stock)
SELECT @ws, c.id, NULL, 50 + 5 * (c.id % 10), c.id % 7
FROM channels c WHERE c.workspace_id = @ws AND c.code <> 'CH-1';
INSERT INTO channel_atp_policies (workspace_id, channel_id, location_id, allocation_percent,
                                  safety_stock, low_atp_threshold)
SELECT @ws, c.id, @loc_base + 1, 100, 0, 5
FROM channels c WHERE c.workspace_id = @ws AND c.code <> 'CH-1';

-- Reason codes: the workspace has the standard ones (CYCLE_COUNT, ...).

SET @lot_base = (SELECT IFNULL(MAX(id), 0) FROM lots);
INSERT INTO lots (id, workspace_id, product_id, lot_number, expiry_date, status)
SELECT @lot_base + seq, @ws, @prod_base + 1 + (seq - 1) DIV @lots,
       CONCAT('L', 1 + (seq - 1) DIV @lots, '-', 1 + (seq - 1) % @lots),
       IF(seq % 97 = 0, CURRENT_DATE - INTERVAL 1 + seq % 60 DAY,
          CURRENT_DATE + INTERVAL 30 + seq * 13 % 900 DAY),
       'ACTIVE'
FROM seq_1_to_100000000 WHERE seq <= @products * @lots;

-- s = ((product * locations + location) * lots + lot) * bins_per_lot + bin,
-- all zero-based: the lines of one product at one location are adjacent.
-- Every 53rd line is empty; every 10th holds a small reservation.
SET @line_base = (SELECT IFNULL(MAX(id), 0) FROM stock_lines);
INSERT INTO stock_lines (id, workspace_id, product_id, location_id, lot_id, bin_id,
                         qty_on_hand, qty_reserved)
SELECT @line_base + 1 + s, @ws,
       @prod_base + 1 + p, @loc_base + 1 + l, @lot_base + 1 + p * @lots + k,
       @bin_base + 1 + l * @bins + (p + k * 7 + b * 3) % @bins,
       qty, IF(s % 10 = 3 AND qty >= 4, 1 + s % 4, 0)
FROM (
  SELECT s, s % @bins_per_lot AS b, (s DIV @bins_per_lot) % @lots AS k,
         (s DIV (@bins_per_lot * @lots)) % @locations AS l,
         s DIV (@bins_per_lot * @lots * @locations) AS p,
         IF(s % 53 = 0, 0, 1 + (s * 7919) % 499) AS qty
  FROM (SELECT seq - 1 AS s FROM seq_1_to_1000000000
        WHERE seq <= @products * @locations * @lots * @bins_per_lot) n
) g;

SET @txn_base = (SELECT IFNULL(MAX(id), 0) FROM stock_transactions);
INSERT INTO stock_transactions (id, workspace_id, stock_line_id, product_id, location_id,
                                transaction_type, delta_on_hand, delta_reserved, qty_before,
                                qty_after, actor, reference_type, reference_id, created_at)
SELECT @txn_base + id - @line_base, workspace_id, id, product_id, location_id,
       'IMPORT', qty_on_hand, qty_reserved, 0, qty_on_hand, 'bench', 'IMPORT', 'bench-data',
       NOW(3) - INTERVAL (id % 400) DAY
FROM stock_lines WHERE workspace_id = @ws AND id > @line_base;

-- The running totals the ledger keeps per product and day (migration
-- 0015), when the schema has them (the entries above are IMPORTs: none
-- is used stock).
SET @has_rollup = (SELECT COUNT(*) FROM information_schema.tables
                   WHERE table_schema = DATABASE() AND table_name = 'ledger_product_days');
SET @q = IF(@has_rollup,
  'INSERT INTO ledger_product_days (workspace_id, product_id, day, total_delta,
                                    total_delta_seconds, total_used)
   SELECT workspace_id, product_id, day, SUM(delta) OVER w, SUM(delta_seconds) OVER w, 0
   FROM (SELECT workspace_id, product_id, DATE(created_at) day, SUM(delta_on_hand) delta,
                SUM(CAST(delta_on_hand AS DECIMAL(38,0))
                    * TIMESTAMPDIFF(MICROSECOND, ''2000-01-01'', created_at) * 0.000001) delta_seconds
         FROM stock_transactions WHERE workspace_id = ? AND id > ?
         GROUP BY workspace_id, product_id, DATE(created_at)) d
   WINDOW w AS (PARTITION BY workspace_id, product_id ORDER BY day)',
  'DO ?, ?');
PREPARE rollup FROM @q;
EXECUTE rollup USING @ws, @txn_base;
DEALLOCATE PREPARE rollup;

-- A Supported inventory level of every product at the first location,
-- replenished from the second: the levels of the suggestions scenario.
-- (Schemas before replenishment's configuration take them the same way.)
INSERT INTO inventory_levels (workspace_id, product_id, location_id, min_quantity,
                              reorder_quantity, max_quantity, expected_lead_time_days,
                              replenishment_location_id)
SELECT @ws, @prod_base + seq, @loc_base + 1, 10, 50 + seq % 200, 500, 3 + seq % 10,
       IF(@locations > 1, @loc_base + 2, NULL)
FROM seq_1_to_10000000 WHERE seq <= @products;

-- Derived tables that the schema keeps beside the lines, when it has them
-- (the per-location line counts of migration 0004, their products of 0016).
SET @has_counts = (SELECT COUNT(*) FROM information_schema.tables
                   WHERE table_schema = DATABASE() AND table_name = 'stock_line_counts');
SET @q = IF(@has_counts,
  'INSERT INTO stock_line_counts (workspace_id, location_id, line_count)
   SELECT workspace_id, location_id, COUNT(*) FROM stock_lines
   WHERE workspace_id = ? AND id > ? GROUP BY workspace_id, location_id
   ON DUPLICATE KEY UPDATE line_count = line_count + VALUES(line_count)',
  'DO ?, ?');
PREPARE derived FROM @q;
EXECUTE derived USING @ws, @line_base;
DEALLOCATE PREPARE derived;
-- The products with a line at each location (migration 0016).
SET @has_product_counts = (SELECT COUNT(*) FROM information_schema.columns
                           WHERE table_schema = DATABASE() AND table_name = 'stock_line_counts'
                           AND column_name = 'product_count');
SET @q = IF(@has_product_counts,
  'UPDATE stock_line_counts c
   JOIN (SELECT location_id, COUNT(DISTINCT product_id) AS n FROM stock_lines
         WHERE workspace_id = ? GROUP BY location_id) x ON x.location_id = c.location_id
   SET c.product_count = x.n WHERE c.workspace_id = ?',
  'DO ?, ?');
PREPARE derived FROM @q;
EXECUTE derived USING @ws, @ws;
DEALLOCATE PREPARE derived;

SET SESSION foreign_key_checks = 1, SESSION unique_checks = 1;
