-- SPDX-License-Identifier: MIT
-- The standard reason codes: every workspace starts with these (inventoryctl
-- workspace create copies them), so that an adjustment can be posted on a
-- new workspace without setting anything up first. This table is their only
-- declaration; a workspace edits, deactivates or adds to its own copies in
-- reason_codes. The first six match the types of typed stock adjustments.

CREATE TABLE standard_reason_codes (
  code VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO standard_reason_codes (code, name, description) VALUES
  ('DAMAGE', 'Damaged', 'Damaged in storage or handling'),
  ('THEFT', 'Theft', 'Stolen'),
  ('EXPIRED', 'Expired', 'Past its expiry date'),
  ('FOUND', 'Found', 'Found stock that was not recorded'),
  ('CORRECTION', 'Correction', 'Corrects an earlier recording error'),
  ('RETURN', 'Return', 'Returned by a customer'),
  ('CYCLE_COUNT', 'Cycle Count', 'A count found a different quantity'),
  ('RECEIVED', 'Received', 'Received from a supplier or another location'),
  ('LOT_CORRECTION', 'Lot Correction', 'Recorded under the wrong lot');

-- Existing workspaces get the codes they do not have yet; a code they have
-- already, edited or not, stays as it is.
INSERT INTO reason_codes (workspace_id, code, name, description)
SELECT w.id, s.code, s.name, s.description
FROM workspaces w CROSS JOIN standard_reason_codes s
WHERE NOT EXISTS (SELECT 1 FROM reason_codes rc WHERE rc.workspace_id = w.id AND rc.code = s.code)
ORDER BY w.id, s.code;
