-- SPDX-License-Identifier: MIT
-- Replenishment: the workspace's rules for suggesting what to reorder, and
-- the replenishments made from them (one per source location). Every
-- reference carries the workspace (see 0005_tenant_keys.sql).

CREATE TABLE replenishment_config (
  workspace_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  method ENUM('MIN_MAX','FORECAST') NOT NULL DEFAULT 'MIN_MAX',
  demand_window_days INT NOT NULL DEFAULT 90,
  default_lead_time_days INT NOT NULL DEFAULT 7,
  default_replenishment_period_days INT NOT NULL DEFAULT 14,
  include_in_transit TINYINT(1) NOT NULL DEFAULT 1,
  include_open_requests TINYINT(1) NOT NULL DEFAULT 1,
  exclude_expiring_within_lead_time TINYINT(1) NOT NULL DEFAULT 1,
  round_to_multiple INT NOT NULL DEFAULT 1,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_replenishment_config_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB;

CREATE TABLE replenishments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,
  location_id BIGINT UNSIGNED NOT NULL,
  source_location_id BIGINT UNSIGNED NULL,
  status ENUM('PENDING','APPROVED','COMPLETED','CANCELLED') NOT NULL DEFAULT 'PENDING',
  transfer_id BIGINT UNSIGNED NULL,
  notes VARCHAR(2000) NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  approved_at DATETIME(3) NULL, approved_by VARCHAR(200) NULL,
  completed_at DATETIME(3) NULL,
  cancelled_at DATETIME(3) NULL,
  UNIQUE KEY uq_replenishments_ws_id (workspace_id, id),
  UNIQUE KEY uq_replenishments_number (workspace_id, number),
  KEY ix_replenishments_location (workspace_id, location_id, status),
  KEY ix_replenishments_created (workspace_id, created_at),
  KEY ix_replenishments_transfer (workspace_id, transfer_id),
  CONSTRAINT fk_replenishments_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_replenishments_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_replenishments_source FOREIGN KEY (workspace_id, source_location_id)
    REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_replenishments_transfer FOREIGN KEY (workspace_id, transfer_id)
    REFERENCES transfers (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE replenishment_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  replenishment_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  quantity BIGINT NOT NULL,
  quantity_received BIGINT NOT NULL DEFAULT 0,
  lot_id BIGINT UNSIGNED NULL,
  bin_id BIGINT UNSIGNED NULL,
  transfer_line_id BIGINT UNSIGNED NULL,
  UNIQUE KEY uq_replenishment_lines_ws_id (workspace_id, id),
  KEY ix_replenishment_lines (workspace_id, replenishment_id, id),
  KEY ix_replenishment_lines_product (workspace_id, product_id),
  CONSTRAINT fk_replenishment_lines_rep FOREIGN KEY (workspace_id, replenishment_id)
    REFERENCES replenishments (workspace_id, id),
  CONSTRAINT fk_replenishment_lines_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  CONSTRAINT fk_replenishment_lines_lot FOREIGN KEY (workspace_id, lot_id)
    REFERENCES lots (workspace_id, id),
  CONSTRAINT fk_replenishment_lines_bin FOREIGN KEY (workspace_id, bin_id)
    REFERENCES bins (workspace_id, id),
  CONSTRAINT fk_replenishment_lines_transfer_line FOREIGN KEY (workspace_id, transfer_line_id)
    REFERENCES transfer_lines (workspace_id, id)
) ENGINE=InnoDB;
