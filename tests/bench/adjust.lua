-- SPDX-License-Identifier: MIT
-- adjust_random / adjust_hot: POST /api/inventory/adjustments setting a
-- stock line's on-hand quantity, on a random line or (BENCH_HOT set) on one
-- of a few hot lines. The new quantity starts at 5: the generated
-- reservations are at most 4, so no adjustment is refused for leaving
-- available below zero.
function request()
   local id
   if #bench.hot > 0 then
      id = bench.hot[math.random(1, #bench.hot)]
   else
      id = bench.line()
   end
   return bench.post("/api/inventory/adjustments", string.format(
      '{"inventoryItemId":"item_%d","newQtyOnHand":%d,"reasonCodeId":"rc_%d","comment":"bench"}',
      id, math.random(5, 500), bench.reason))
end
