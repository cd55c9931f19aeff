-- SPDX-License-Identifier: MIT
-- Core schema: workspaces, credentials, master data, stock lines, the
-- stock ledger and inventory levels. Every table that holds workspace data
-- carries workspace_id, first in every index, so every query is scoped.
-- Quantities are whole units (BIGINT); money is DECIMAL(18,4).

CREATE TABLE workspaces (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  allow_negative_stock TINYINT(1) NOT NULL DEFAULT 0,
  is_healthcare TINYINT(1) NOT NULL DEFAULT 0,
  large_adjustment_threshold BIGINT NOT NULL DEFAULT 100,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_workspaces_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_keys (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NOT NULL DEFAULT '',
  key_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  key_prefix VARCHAR(16) CHARACTER SET ascii NOT NULL,
  permissions TEXT NOT NULL,
  roles VARCHAR(200) NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  revoked_at DATETIME(3) NULL,
  UNIQUE KEY uq_api_keys_hash (key_hash),
  KEY ix_api_keys_workspace (workspace_id, id),
  CONSTRAINT fk_api_keys_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE categories (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_categories_name (workspace_id, name),
  CONSTRAINT fk_categories_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  global_sku VARCHAR(100) NOT NULL,
  name VARCHAR(300) NOT NULL,
  category_id BIGINT UNSIGNED NULL,
  unit_cost DECIMAL(18,4) NOT NULL DEFAULT 0,
  lot_controlled TINYINT(1) NOT NULL DEFAULT 0,
  expiry_tracked TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_products_sku (workspace_id, global_sku),
  KEY ix_products_category (workspace_id, category_id),
  KEY ix_products_name (workspace_id, name(100)),
  CONSTRAINT fk_products_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_products_category FOREIGN KEY (category_id) REFERENCES categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE locations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  location_type VARCHAR(32) NOT NULL DEFAULT 'WAREHOUSE',
  is_destruction TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_locations_code (workspace_id, code),
  CONSTRAINT fk_locations_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bins (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_bins_name (workspace_id, location_id, name),
  CONSTRAINT fk_bins_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_bins_location FOREIGN KEY (location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lots (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  lot_number VARCHAR(100) NOT NULL,
  expiry_date DATE NULL,
  status ENUM('ACTIVE','ON_HOLD','RECALLED','EXPIRED') NOT NULL DEFAULT 'ACTIVE',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_lots_number (workspace_id, product_id, lot_number),
  KEY ix_lots_expiry (workspace_id, expiry_date),
  CONSTRAINT fk_lots_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_lots_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE channels (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  channel_type VARCHAR(32) NOT NULL DEFAULT 'E_COMMERCE',
  low_atp_threshold BIGINT NOT NULL DEFAULT 10,
  critical_atp_threshold BIGINT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_channels_code (workspace_id, code),
  CONSTRAINT fk_channels_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reason_codes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_reason_codes_code (workspace_id, code),
  CONSTRAINT fk_reason_codes_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One stock line per product, location, lot and bin. The *_key columns
-- turn "no lot" and "no bin" into 0 so that the unique key holds.
CREATE TABLE stock_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  lot_id BIGINT UNSIGNED NULL,
  bin_id BIGINT UNSIGNED NULL,
  lot_key BIGINT UNSIGNED AS (IFNULL(lot_id, 0)) PERSISTENT,
  bin_key BIGINT UNSIGNED AS (IFNULL(bin_id, 0)) PERSISTENT,
  qty_on_hand BIGINT NOT NULL DEFAULT 0,
  qty_reserved BIGINT NOT NULL DEFAULT 0,
  qty_on_hold BIGINT NOT NULL DEFAULT 0,
  qty_picked BIGINT NOT NULL DEFAULT 0,
  qty_recalled BIGINT NOT NULL DEFAULT 0,
  qty_expired BIGINT NOT NULL DEFAULT 0,
  last_counted_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_stock_lines (workspace_id, product_id, location_id, lot_key, bin_key),
  KEY ix_stock_lines_location (workspace_id, location_id, id),
  KEY ix_stock_lines_lot (workspace_id, lot_id),
  KEY ix_stock_lines_bin (workspace_id, bin_id),
  CONSTRAINT fk_stock_lines_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_stock_lines_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_stock_lines_location FOREIGN KEY (location_id) REFERENCES locations (id),
  CONSTRAINT fk_stock_lines_lot FOREIGN KEY (lot_id) REFERENCES lots (id),
  CONSTRAINT fk_stock_lines_bin FOREIGN KEY (bin_id) REFERENCES bins (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The immutable stock ledger: one row per change of a stock line, with the
-- change of every bucket and the on-hand quantity before and after.
CREATE TABLE stock_transactions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  transaction_type VARCHAR(32) NOT NULL,
  delta_on_hand BIGINT NOT NULL DEFAULT 0,
  delta_reserved BIGINT NOT NULL DEFAULT 0,
  delta_on_hold BIGINT NOT NULL DEFAULT 0,
  delta_picked BIGINT NOT NULL DEFAULT 0,
  delta_recalled BIGINT NOT NULL DEFAULT 0,
  delta_expired BIGINT NOT NULL DEFAULT 0,
  qty_before BIGINT NOT NULL,
  qty_after BIGINT NOT NULL,
  reason_code_id BIGINT UNSIGNED NULL,
  comment VARCHAR(1000) NULL,
  root_cause VARCHAR(1000) NULL,
  actor VARCHAR(200) NOT NULL,
  reference_type VARCHAR(32) NULL,
  reference_id VARCHAR(64) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_txn_line (workspace_id, stock_line_id, id),
  KEY ix_txn_product (workspace_id, product_id, created_at),
  KEY ix_txn_location (workspace_id, location_id, created_at),
  KEY ix_txn_created (workspace_id, created_at),
  CONSTRAINT fk_txn_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_txn_line FOREIGN KEY (stock_line_id) REFERENCES stock_lines (id),
  CONSTRAINT fk_txn_reason FOREIGN KEY (reason_code_id) REFERENCES reason_codes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inventory_levels (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  min_quantity DECIMAL(18,4) NULL,
  reorder_quantity DECIMAL(18,4) NULL,
  max_quantity DECIMAL(18,4) NULL,
  status VARCHAR(32) NOT NULL DEFAULT 'Supported',
  abc_class CHAR(1) NULL,
  expected_lead_time_days INT NULL,
  replenishment_period_days INT NULL,
  forecast_period_days INT NULL,
  forecast_quantity DECIMAL(18,4) NULL,
  preferred_bin_id BIGINT UNSIGNED NULL,
  replenishment_location_id BIGINT UNSIGNED NULL,
  comments VARCHAR(1000) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_levels (workspace_id, product_id, location_id),
  CONSTRAINT fk_levels_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_levels_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_levels_location FOREIGN KEY (location_id) REFERENCES locations (id),
  CONSTRAINT fk_levels_bin FOREIGN KEY (preferred_bin_id) REFERENCES bins (id),
  CONSTRAINT fk_levels_repl_location FOREIGN KEY (replenishment_location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
