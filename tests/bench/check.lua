-- SPDX-License-Identifier: MIT
-- check50: the bulk availability check of 50 random items, half named by
-- productMasterId and half by SKU.
local items = {}

function request()
   for i = 1, 50 do
      local p, l, q = bench.product(), bench.location(), math.random(1, 20)
      if i % 2 == 0 then
         items[i] = string.format('{"sku":"%s","locationId":"loc_%d","quantity":%d}',
                                  bench.sku(p), l, q)
      else
         items[i] = string.format('{"productMasterId":"prod_%d","locationId":"loc_%d","quantity":%d}',
                                  p, l, q)
      end
   end
   return bench.post("/api/inventory/availability/check",
                     '{"items":[' .. table.concat(items, ",") .. "]}")
end
