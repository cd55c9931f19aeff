-- SPDX-License-Identifier: MIT
-- The number of products with a stock line at each location, beside the
-- number of lines (migration 0004): the channel x location matrix pages
-- through a location's products and answers its total from here instead of
-- grouping the location's tens of thousands of lines on every page. The
-- ledger, which alone creates stock lines, adds to it in the same
-- transaction as the line.

ALTER TABLE stock_line_counts ADD COLUMN product_count BIGINT NOT NULL DEFAULT 0;

UPDATE stock_line_counts c
  JOIN (SELECT workspace_id, location_id, COUNT(DISTINCT product_id) AS n
        FROM stock_lines GROUP BY workspace_id, location_id) x
    ON x.workspace_id = c.workspace_id AND x.location_id = c.location_id
   SET c.product_count = x.n;
