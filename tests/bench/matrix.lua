-- SPDX-License-Identifier: MIT
-- matrix: one page of the channel x location ATP matrix (50 products, every
-- channel: 8 at large scale) at a random location, on a random page of the
-- first BENCH_PAGES.
function request()
   return bench.get(string.format(
      "/api/inventory/channel-location?locationId=loc_%d&limit=50&page=%d",
      bench.location(), math.random(1, bench.pages)))
end
