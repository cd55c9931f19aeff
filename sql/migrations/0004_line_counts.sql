-- The number of stock lines per workspace and location. Lists filtered by
-- location answer their total from here instead of counting tens of
-- thousands of index entries on every page. The ledger, which alone
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
