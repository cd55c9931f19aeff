-- SPDX-License-Identifier: MIT
-- request50: GET /api/stock-requests/[id] of a stock request with 50 lines
-- (BENCH_REQUEST, made by scripts/bench before the run).
function request()
   return bench.get("/api/stock-requests/sr_" .. bench.request)
end
