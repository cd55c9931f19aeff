-- SPDX-License-Identifier: MIT
-- list20 / list100: GET /api/inventory filtered by a random location, a
-- random page of the first BENCH_PAGES, BENCH_LIMIT rows.
function request()
   return bench.get(string.format("/api/inventory?locationId=loc_%d&limit=%d&page=%d",
                                  bench.location(), bench.limit, math.random(1, bench.pages)))
end
