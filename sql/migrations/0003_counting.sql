-- SPDX-License-Identifier: MIT
-- Counting: cycle count batches with their lines, the ABC configuration,
-- and inventory count sessions with their items. Counts never change
-- quantities themselves: resolutions post adjustments through the ledger.

CREATE TABLE cycle_count_batches (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NULL,
  status ENUM('CREATED','IN_PROGRESS','COUNTED','RESOLVED','CANCELLED') NOT NULL DEFAULT 'CREATED',
  blind TINYINT(1) NOT NULL DEFAULT 0,
  source VARCHAR(32) NOT NULL DEFAULT 'MANUAL',
  abc_class CHAR(1) NULL,
  assignee_id VARCHAR(200) NULL,
  deadline DATETIME(3) NULL,
  notes VARCHAR(1000) NULL,
  created_by VARCHAR(200) NOT NULL,
  started_at DATETIME(3) NULL,
  submitted_at DATETIME(3) NULL,
  resolved_at DATETIME(3) NULL,
  cancelled_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_ccb_location (workspace_id, location_id, status, id),
  KEY ix_ccb_assignee (workspace_id, assignee_id, id),
  CONSTRAINT fk_ccb_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_ccb_location FOREIGN KEY (location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One line per stock line to count. snapshot_qty is the system's on hand
-- when the count was recorded: resolution applies counted - snapshot, so
-- stock that moved meanwhile is not overwritten.
CREATE TABLE cycle_count_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  batch_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  status ENUM('PENDING','COUNTED','RECOUNT','ACCEPTED','KEPT') NOT NULL DEFAULT 'PENDING',
  snapshot_qty BIGINT NULL,
  counted_qty BIGINT NULL,
  counted_by VARCHAR(200) NULL,
  counted_at DATETIME(3) NULL,
  count_attempts INT NOT NULL DEFAULT 0,
  resolved_by VARCHAR(200) NULL,
  resolved_at DATETIME(3) NULL,
  resolution_reason VARCHAR(500) NULL,
  reason_code_id BIGINT UNSIGNED NULL,
  transaction_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_ccl_line (workspace_id, batch_id, stock_line_id),
  KEY ix_ccl_stock_line (workspace_id, stock_line_id),
  CONSTRAINT fk_ccl_batch FOREIGN KEY (batch_id) REFERENCES cycle_count_batches (id),
  CONSTRAINT fk_ccl_line FOREIGN KEY (stock_line_id) REFERENCES stock_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The ABC configuration of a workspace (defaults when it has no row).
CREATE TABLE cycle_count_abc_config (
  workspace_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  a_percent DECIMAL(5,2) NOT NULL DEFAULT 80,
  b_percent DECIMAL(5,2) NOT NULL DEFAULT 15,
  c_percent DECIMAL(5,2) NOT NULL DEFAULT 5,
  a_frequency_days INT NOT NULL DEFAULT 30,
  b_frequency_days INT NOT NULL DEFAULT 60,
  c_frequency_days INT NOT NULL DEFAULT 90,
  period_days INT NOT NULL DEFAULT 365,
  updated_by VARCHAR(200) NULL,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_abc_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Inventory count sessions (FULL, CYCLE, SPOT, ANNUAL). One in progress per
-- workspace and location: in_progress_key is set only while in progress,
-- and is unique.
CREATE TABLE inventory_counts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NULL,
  name VARCHAR(200) NOT NULL,
  count_type ENUM('FULL','CYCLE','SPOT','ANNUAL') NOT NULL,
  notes VARCHAR(1000) NULL,
  status ENUM('IN_PROGRESS','COMPLETED','CANCELLED') NOT NULL DEFAULT 'IN_PROGRESS',
  in_progress_key BIGINT UNSIGNED AS (IF(status = 'IN_PROGRESS', IFNULL(location_id, 0), NULL)) PERSISTENT,
  started_by VARCHAR(200) NOT NULL,
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  completed_by VARCHAR(200) NULL,
  completed_at DATETIME(3) NULL,
  completion_notes VARCHAR(1000) NULL,
  adjustments_applied TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_counts_in_progress (workspace_id, in_progress_key),
  KEY ix_counts_started (workspace_id, started_at),
  CONSTRAINT fk_counts_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_counts_location FOREIGN KEY (location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inventory_count_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  count_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  lot_id BIGINT UNSIGNED NULL,
  counted_qty BIGINT NOT NULL,
  system_qty BIGINT NOT NULL,
  variance BIGINT NOT NULL,
  unit_cost DECIMAL(18,4) NOT NULL,
  variance_value DECIMAL(18,4) NOT NULL,
  significant TINYINT(1) NOT NULL DEFAULT 0,
  reason VARCHAR(500) NULL,
  notes VARCHAR(1000) NULL,
  counted_by VARCHAR(200) NOT NULL,
  transaction_id BIGINT UNSIGNED NULL,
  adjustment_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_count_items_line (workspace_id, count_id, stock_line_id),
  CONSTRAINT fk_count_items_count FOREIGN KEY (count_id) REFERENCES inventory_counts (id),
  CONSTRAINT fk_count_items_line FOREIGN KEY (stock_line_id) REFERENCES stock_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
