-- SPDX-License-Identifier: MIT
-- memory: a mix of the API scenarios (lists of 20 and 100, availability,
-- the bulk check, adjustments) for the resident memory of the FastCGI
-- processes before and after about --mem-requests requests (scripts/bench
-- picks the duration from the rate of a warm-up: wrk has no request count).
local items = {}

local function check_body()
   for i = 1, 50 do
      local p, l = bench.product(), bench.location()
      if i % 2 == 0 then
         items[i] = string.format('{"sku":"%s","locationId":"loc_%d","quantity":1}', bench.sku(p), l)
      else
         items[i] = string.format('{"productMasterId":"prod_%d","locationId":"loc_%d","quantity":1}', p, l)
      end
   end
   return '{"items":[' .. table.concat(items, ",") .. "]}"
end

function request()
   local r = math.random(1, 10)
   if r <= 3 then
      return bench.get(string.format("/api/inventory?locationId=loc_%d&limit=%d&page=%d",
                                     bench.location(), r == 1 and 100 or 20, math.random(1, bench.pages)))
   elseif r <= 6 then
      return bench.get(string.format(
         "/api/inventory/availability?productMasterId=prod_%d&locationId=loc_%d",
         bench.product(), bench.location()))
   elseif r <= 8 then
      return bench.post("/api/inventory/availability/check", check_body())
   else
      return bench.post("/api/inventory/adjustments", string.format(
         '{"inventoryItemId":"item_%d","newQtyOnHand":%d,"reasonCodeId":"rc_%d"}',
         bench.line(), math.random(5, 500), bench.reason))
   end
end
