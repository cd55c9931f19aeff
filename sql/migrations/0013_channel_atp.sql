-- SPDX-License-Identifier: MIT
-- Channel ATP: what each sales channel may promise from a location's stock.
-- A policy belongs to a channel; with a location it overrides the channel's
-- own policy (location NULL) there. Without any policy a channel promises
-- all of the location's available stock. Reservations made for a channel
-- are counted per stock line, so that they use up that channel's quota.
-- Every reference carries the workspace (see 0005_tenant_keys.sql).

CREATE TABLE channel_atp_policies (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workspace_id BIGINT UNSIGNED NOT NULL,
  channel_id BIGINT UNSIGNED NOT NULL,
  location_id BIGINT UNSIGNED NULL,
  location_key BIGINT UNSIGNED AS (IFNULL(location_id, 0)) PERSISTENT,
  allocation_percent DECIMAL(7,4) NOT NULL DEFAULT 100,
  safety_stock BIGINT NOT NULL DEFAULT 0,
  -- NULL: the channel's own threshold
  low_atp_threshold BIGINT NULL,
  critical_atp_threshold BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_channel_atp_policies_ws_id (workspace_id, id),
  UNIQUE KEY uq_channel_atp_policies_scope (workspace_id, channel_id, location_key),
  KEY ix_channel_atp_policies_location (workspace_id, location_id),
  CONSTRAINT fk_channel_atp_policies_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_channel_atp_policies_channel FOREIGN KEY (workspace_id, channel_id)
    REFERENCES channels (workspace_id, id),
  CONSTRAINT fk_channel_atp_policies_location FOREIGN KEY (workspace_id, location_id)
    REFERENCES locations (workspace_id, id)
) ENGINE=InnoDB;

CREATE TABLE channel_reservations (
  workspace_id BIGINT UNSIGNED NOT NULL,
  stock_line_id BIGINT UNSIGNED NOT NULL,
  channel_id BIGINT UNSIGNED NOT NULL,
  quantity BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, stock_line_id, channel_id),
  KEY ix_channel_reservations_channel (workspace_id, channel_id),
  CONSTRAINT fk_channel_reservations_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_channel_reservations_line FOREIGN KEY (workspace_id, stock_line_id)
    REFERENCES stock_lines (workspace_id, id),
  CONSTRAINT fk_channel_reservations_channel FOREIGN KEY (workspace_id, channel_id)
    REFERENCES channels (workspace_id, id)
) ENGINE=InnoDB;

-- The matrix pages through the products of one location on this index alone.
ALTER TABLE stock_lines ADD KEY ix_stock_lines_location_product (workspace_id, location_id, product_id);
