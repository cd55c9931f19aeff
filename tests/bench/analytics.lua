-- SPDX-License-Identifier: MIT
-- analytics: the inventory analytics of one location (a random one), over
-- the default period of 365 days.
function request()
   return bench.get(string.format("/api/inventory/analytics?locationId=loc_%d", bench.location()))
end
