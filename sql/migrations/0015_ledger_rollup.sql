-- SPDX-License-Identifier: MIT
-- The ledger summed per product and UTC day, kept by every posting
-- (ledger/rollup.c), so that the analytics of a whole workspace read a few
-- rows per product instead of every stock line and ledger entry. Each row
-- holds running totals over the product's entries up to the end of its day:
--   total_delta          the on-hand deltas: the product's on hand then;
--   total_delta_seconds  each delta times its instant, in seconds since
--                        2000-01-01 UTC (a time-weighted average between
--                        two days is then exact, from two rows);
--   total_used           what left to be used: the negated deltas of SHIP,
--                        ISSUE and EXPIRED_CONSUMED.
-- `inventoryctl ledger verify` checks it against the ledger and
-- `inventoryctl ledger rollup` rebuilds it.

CREATE TABLE ledger_product_days (
  workspace_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  day DATE NOT NULL,
  total_delta BIGINT NOT NULL,
  total_delta_seconds DECIMAL(38,6) NOT NULL,
  total_used BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, product_id, day),
  CONSTRAINT fk_ledger_product_days_workspace FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
  CONSTRAINT fk_ledger_product_days_product FOREIGN KEY (workspace_id, product_id)
    REFERENCES products (workspace_id, id)
) ENGINE=InnoDB;

INSERT INTO ledger_product_days (workspace_id, product_id, day, total_delta, total_delta_seconds,
                                 total_used)
SELECT workspace_id, product_id, day,
       SUM(delta) OVER w, SUM(delta_seconds) OVER w, SUM(used) OVER w
FROM (SELECT workspace_id, product_id, DATE(created_at) day, SUM(delta_on_hand) delta,
             SUM(CAST(delta_on_hand AS DECIMAL(38,0)) * TIMESTAMPDIFF(MICROSECOND, '2000-01-01', created_at)
                 * 0.000001)
               delta_seconds,
             SUM(IF(transaction_type IN ('SHIP', 'ISSUE', 'EXPIRED_CONSUMED'), -delta_on_hand, 0))
               used
      FROM stock_transactions WHERE delta_on_hand <> 0
      GROUP BY workspace_id, product_id, DATE(created_at)) d
WINDOW w AS (PARTITION BY workspace_id, product_id ORDER BY day);
