-- SPDX-License-Identifier: MIT
-- Stock requests: a requesting location asks a fulfilling one for stock;
-- approval reserves it through a transfer, issuing ships the transfer.
-- Every reference carries the workspace (see 0005_tenant_keys.sql).

-- Whether a submitted request waits for approval: when the workspace or
-- the fulfilling location requires it.
ALTER TABLE workspaces ADD COLUMN request_approval TINYINT(1) NOT NULL DEFAULT 1;
ALTER TABLE locations ADD COLUMN requires_approval TINYINT(1) NOT NULL DEFAULT 0 AFTER is_destruction;

CREATE TABLE stock_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,
  requesting_location_id BIGINT UNSIGNED NOT NULL,
  fulfilling_location_id BIGINT UNSIGNED NOT NULL,
  status ENUM('DRAFT','SUBMITTED','PENDING_APPROVAL','APPROVED','REJECTED','ISSUED','RECEIVED',
              'CANCELLED') NOT NULL DEFAULT 'DRAFT',
  priority ENUM('LOW','NORMAL','HIGH','URGENT') NOT NULL DEFAULT 'NORMAL',
  needed_by DATE NULL,
  notes VARCHAR(2000) NULL,
  requested_by VARCHAR(200) NOT NULL,
  transfer_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  submitted_at DATETIME(3) NULL, submitted_by VARCHAR(200) NULL,
  approved_at DATETIME(3) NULL, approved_by VARCHAR(200) NULL,
  rejected_at DATETIME(3) NULL, rejected_by VARCHAR(200) NULL,
  issued_at DATETIME(3) NULL, issued_by VARCHAR(200) NULL,
  received_at DATETIME(3) NULL, received_by VARCHAR(200) NULL,
  cancelled_at DATETIME(3) NULL, cancelled_by VARCHAR(200) NULL,
  UNIQUE KEY uq_stock_requests_ws_id (workspace_id, id),
  UNIQUE KEY uq_stock_requests_number (workspace_id, number),
  KEY ix_stock_requests_created (workspace_id, created_at),
  KEY ix_stock_requests_status (workspace_id, status, submitted_at),
  CONSTRAINT fk_stock_requests_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_stock_requests_requesting FOREIGN KEY (workspace_id, requesting_location_id)
    REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_stock_requests_fulfilling FOREIGN KEY (workspace_id, fulfilling_location_id)
    REFERENCES locations (workspace_id, id),
  CONSTRAINT fk_stock_requests_transfer FOREIGN KEY (workspace_id, transfer_id)
    REFERENCES transfers (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE stock_request_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  request_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  quantity_requested BIGINT NOT NULL,
  quantity_approved BIGINT NULL,
  quantity_issued BIGINT NOT NULL DEFAULT 0,
  quantity_received BIGINT NOT NULL DEFAULT 0,
  quantity_on_hand_at_request BIGINT NOT NULL DEFAULT 0,
  cancel_reason VARCHAR(500) NULL,
  transfer_line_id BIGINT UNSIGNED NULL,
  UNIQUE KEY uq_stock_request_lines_ws_id (workspace_id, id),
  UNIQUE KEY uq_stock_request_lines_product (workspace_id, request_id, product_id),
  CONSTRAINT fk_stock_request_lines_request FOREIGN KEY (workspace_id, request_id)
    REFERENCES stock_requests (workspace_id, id),
  CONSTRAINT fk_stock_request_lines_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id),
  CONSTRAINT fk_stock_request_lines_transfer_line FOREIGN KEY (workspace_id, transfer_line_id)
    REFERENCES transfer_lines (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every transition (from_status NULL: created) and every comment.
CREATE TABLE stock_request_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  request_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('TRANSITION','COMMENT') NOT NULL,
  from_status VARCHAR(32) NULL,
  to_status VARCHAR(32) NULL,
  comment VARCHAR(2000) NULL,
  actor VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_stock_request_events (workspace_id, request_id, id),
  CONSTRAINT fk_stock_request_events_request FOREIGN KEY (workspace_id, request_id)
    REFERENCES stock_requests (workspace_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The request a transfer fulfils: its steps are the request's.
ALTER TABLE transfers ADD COLUMN stock_request_id BIGINT UNSIGNED NULL AFTER reason_code_id,
  ADD CONSTRAINT fk_transfers_request FOREIGN KEY (workspace_id, stock_request_id)
    REFERENCES stock_requests (workspace_id, id);
