-- SPDX-License-Identifier: MIT
-- Starting a count takes this row's lock, so that concurrent starts are
-- ordered and exactly one of two overlapping counts begins. A row of its
-- own: the workspace's row is share-locked by every insert that refers to
-- it, so locking that one would wait for (and stall) every write of the
-- workspace.
CREATE TABLE count_start_guards (
  workspace_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  CONSTRAINT fk_count_start_guards_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) ENGINE=InnoDB;
