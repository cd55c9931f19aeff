-- SPDX-License-Identifier: MIT
-- floor_read: the floor's prepared primary-key SELECT of a random stock line.
function request()
   return bench.get("/floor/read?id=" .. bench.line())
end
