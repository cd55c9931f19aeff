-- SPDX-License-Identifier: MIT
-- The stock ledger's documents: typed stock adjustments with approvals,
-- holds, and the stored responses of idempotent requests. Workspace
-- settings for negative stock and approval thresholds.

ALTER TABLE workspaces
  ADD COLUMN approval_quantity_threshold BIGINT NOT NULL DEFAULT 50,
  ADD COLUMN approval_cost_threshold DECIMAL(18,4) NOT NULL DEFAULT 500;

-- History lists filter stock transactions by type and by time.
ALTER TABLE stock_transactions
  ADD KEY ix_txn_type (workspace_id, transaction_type, id),
  ADD KEY ix_txn_reference (workspace_id, reference_type, reference_id);

-- Typed stock adjustments (DAMAGE, THEFT, ...). One that needs approval
-- changes no stock until a manager approves it; then it posts through the
-- ledger and records the transaction.
CREATE TABLE stock_adjustments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  adjustment_type ENUM('DAMAGE','THEFT','EXPIRED','FOUND','CORRECTION','RETURN') NOT NULL,
  quantity_change BIGINT NOT NULL,
  unit_cost DECIMAL(18,4) NOT NULL,
  cost_impact DECIMAL(18,4) NOT NULL,
  reason VARCHAR(500) NOT NULL,
  notes VARCHAR(1000) NULL,
  reference_number VARCHAR(100) NULL,
  status ENUM('PENDING','APPLIED','REJECTED') NOT NULL,
  requires_approval TINYINT(1) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  approved_by VARCHAR(200) NULL,
  approved_at DATETIME(3) NULL,
  rejected_by VARCHAR(200) NULL,
  rejected_at DATETIME(3) NULL,
  rejection_reason VARCHAR(500) NULL,
  transaction_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_adj_status (workspace_id, status, id),
  KEY ix_adj_product (workspace_id, product_id, id),
  CONSTRAINT fk_adj_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_adj_line FOREIGN KEY (stock_line_id) REFERENCES stock_lines (id),
  CONSTRAINT fk_adj_txn FOREIGN KEY (transaction_id) REFERENCES stock_transactions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A hold of a quantity on one stock line, or of a whole lot (one hold line
-- per stock line of the lot). Releasing returns held quantity to available.
CREATE TABLE inventory_holds (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  lot_id BIGINT UNSIGNED NULL,
  reason VARCHAR(500) NOT NULL,
  status ENUM('ACTIVE','RELEASED') NOT NULL DEFAULT 'ACTIVE',
  created_by VARCHAR(200) NOT NULL,
  released_by VARCHAR(200) NULL,
  released_at DATETIME(3) NULL,
  release_reason VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_holds_status (workspace_id, status, id),
  CONSTRAINT fk_holds_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_holds_lot FOREIGN KEY (lot_id) REFERENCES lots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inventory_hold_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  hold_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  quantity BIGINT NOT NULL,
  released_quantity BIGINT NOT NULL DEFAULT 0,
  KEY ix_hold_lines_hold (workspace_id, hold_id),
  KEY ix_hold_lines_line (workspace_id, stock_line_id),
  CONSTRAINT fk_hold_lines_hold FOREIGN KEY (hold_id) REFERENCES inventory_holds (id),
  CONSTRAINT fk_hold_lines_line FOREIGN KEY (stock_line_id) REFERENCES stock_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The first response to a request with an Idempotency-Key, per workspace
-- and caller, kept 24 hours. status NULL: the first request is running.
CREATE TABLE idempotency_keys (
  workspace_id BIGINT UNSIGNED NOT NULL,
  caller VARCHAR(200) NOT NULL,
  idem_key VARCHAR(200) NOT NULL,
  request_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  status SMALLINT NULL,
  response MEDIUMTEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (workspace_id, caller, idem_key),
  KEY ix_idem_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
