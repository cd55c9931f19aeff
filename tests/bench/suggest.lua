-- SPDX-License-Identifier: MIT
-- suggest: the replenishment suggestions of every level at the first
-- location (data.sql gives every product a level there).
function request()
   return bench.post("/api/inventory/replenishment/suggestions",
                     string.format('{"locationId":"loc_%d"}', bench.loc_min))
end
