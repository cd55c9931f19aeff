-- SPDX-License-Identifier: MIT
-- floor_write: the floor's small write transaction on a random stock line.
function request()
   return bench.post("/floor/write?id=" .. bench.line(), "")
end
