-- SPDX-License-Identifier: MIT
-- avail_key / avail_jwt: availability of one random product at one random
-- location (the credential decides which).
function request()
   return bench.get(string.format(
      "/api/inventory/availability?productMasterId=prod_%d&locationId=loc_%d",
      bench.product(), bench.location()))
end
