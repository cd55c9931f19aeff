-- SPDX-License-Identifier: MIT
-- analytics_ws: the inventory analytics of the whole workspace (every
-- product at every location), over the default period of 365 days.
function request()
   return bench.get("/api/inventory/analytics")
end
