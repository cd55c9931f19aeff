-- SPDX-License-Identifier: MIT
-- Moving stock: transfers between locations and bins, and put-away tasks.
-- Every reference carries the workspace (see 0005_tenant_keys.sql).

-- A location's receiving bin: where receipts without a bin land.
ALTER TABLE bins ADD COLUMN is_receiving TINYINT(1) NOT NULL DEFAULT 0 AFTER name;

-- The numbers people read (TRF-000042), one sequence per workspace and kind.
-- Taking the next one locks the row until the transaction ends, so two
-- transfers never share a number.
CREATE TABLE document_sequences (
  workspace_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(16) CHARACTER SET ascii NOT NULL,
  last_value BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (workspace_id, kind),
  CONSTRAINT fk_document_sequences_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB;

CREATE TABLE transfers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,
  from_location_id BIGINT UNSIGNED NOT NULL,
  to_location_id BIGINT UNSIGNED NOT NULL,
  status ENUM('PENDING','SHIPPED','PARTIALLY_RECEIVED','RECEIVED','COMPLETED','CANCELLED','CLOSED')
    NOT NULL DEFAULT 'PENDING',
  reference VARCHAR(200) NULL,
  notes VARCHAR(2000) NULL,
  needed_by DATE NULL,
  reason_code_id BIGINT UNSIGNED NULL,
  -- The sums over the lines, kept with them in the same transaction.
  line_count INT NOT NULL DEFAULT 0,
  quantity BIGINT NOT NULL DEFAULT 0,
  quantity_shipped BIGINT NOT NULL DEFAULT 0,
  quantity_received BIGINT NOT NULL DEFAULT 0,
  quantity_written_off BIGINT NOT NULL DEFAULT 0,
  created_by VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  shipped_at DATETIME(3) NULL,
  completed_at DATETIME(3) NULL,
  UNIQUE KEY uq_transfers_ws_id (workspace_id, id),
  UNIQUE KEY uq_transfers_number (workspace_id, number),
  KEY ix_transfers_created (workspace_id, created_at),
  KEY ix_transfers_status (workspace_id, status),
  KEY ix_transfers_to (workspace_id, to_location_id, status),
  CONSTRAINT fk_transfers_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_transfers_from FOREIGN KEY (workspace_id, from_location_id) REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_transfers_to FOREIGN KEY (workspace_id, to_location_id) REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_transfers_reason FOREIGN KEY (workspace_id, reason_code_id) REFERENCES reason_codes (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE transfer_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  transfer_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  lot_id BIGINT UNSIGNED NULL,
  from_bin_id BIGINT UNSIGNED NULL,
  to_bin_id BIGINT UNSIGNED NULL,
  quantity BIGINT NOT NULL,
  quantity_shipped BIGINT NOT NULL DEFAULT 0,
  quantity_received BIGINT NOT NULL DEFAULT 0,
  quantity_written_off BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uq_transfer_lines_ws_id (workspace_id, id),
  KEY ix_transfer_lines_transfer (workspace_id, transfer_id, id),
  KEY ix_transfer_lines_product (workspace_id, product_id),
  CONSTRAINT fk_transfer_lines_transfer FOREIGN KEY (workspace_id, transfer_id) REFERENCES transfers (workspace_id, id),
  CONSTRAINT fk_transfer_lines_product FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id),
  CONSTRAINT fk_transfer_lines_lot FOREIGN KEY (workspace_id, lot_id) REFERENCES lots (workspace_id, id),
  CONSTRAINT fk_transfer_lines_from_bin FOREIGN KEY (workspace_id, from_bin_id) REFERENCES bins (workspace_id, id),
  CONSTRAINT fk_transfer_lines_to_bin FOREIGN KEY (workspace_id, to_bin_id) REFERENCES bins (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The stock lines a transfer line was picked from, in picking order.
CREATE TABLE transfer_picks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  transfer_id BIGINT UNSIGNED NOT NULL,
  transfer_line_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  quantity BIGINT NOT NULL,
  quantity_received BIGINT NOT NULL DEFAULT 0,
  quantity_written_off BIGINT NOT NULL DEFAULT 0,
  KEY ix_transfer_picks_line (workspace_id, transfer_line_id, id),
  KEY ix_transfer_picks_transfer (workspace_id, transfer_id),
  CONSTRAINT fk_transfer_picks_transfer FOREIGN KEY (workspace_id, transfer_id) REFERENCES transfers (workspace_id, id),
  CONSTRAINT fk_transfer_picks_line FOREIGN KEY (workspace_id, transfer_line_id) REFERENCES transfer_lines (workspace_id, id),
  CONSTRAINT fk_transfer_picks_stock FOREIGN KEY (workspace_id, stock_line_id) REFERENCES stock_lines (workspace_id, id)
) ENGINE=InnoDB;

CREATE TABLE put_away_tasks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  status ENUM('PENDING','COMPLETED','CANCELLED') NOT NULL DEFAULT 'PENDING',
  assignee_id VARCHAR(200) NULL,
  notes VARCHAR(2000) NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  completed_at DATETIME(3) NULL,
  UNIQUE KEY uq_put_away_ws_id (workspace_id, id),
  KEY ix_put_away_location (workspace_id, location_id, status),
  KEY ix_put_away_created (workspace_id, created_at),
  CONSTRAINT fk_put_away_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_put_away_location FOREIGN KEY (workspace_id, location_id) REFERENCES locations (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE put_away_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  task_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  to_bin_id BIGINT UNSIGNED NOT NULL,
  quantity BIGINT NOT NULL,
  quantity_put_away BIGINT NOT NULL DEFAULT 0,
  UNIQUE KEY uq_put_away_lines_ws_id (workspace_id, id),
  KEY ix_put_away_lines_task (workspace_id, task_id, id),
  CONSTRAINT fk_put_away_lines_task FOREIGN KEY (workspace_id, task_id) REFERENCES put_away_tasks (workspace_id, id),
  CONSTRAINT fk_put_away_lines_stock FOREIGN KEY (workspace_id, stock_line_id) REFERENCES stock_lines (workspace_id, id),
  CONSTRAINT fk_put_away_lines_bin FOREIGN KEY (workspace_id, to_bin_id) REFERENCES bins (workspace_id, id)
) ENGINE=InnoDB;
