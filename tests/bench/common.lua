-- SPDX-License-Identifier: MIT
-- Shared by every scenario of scripts/bench: scripts/bench concatenates
-- this file and one scenario file into the script that wrk runs. The data's
-- id ranges and the credential come from the environment:
--
--   BENCH_AUTH             "Bearer <API key or JWT>" (the API scenarios)
--   BENCH_LINE_MIN/MAX     stock line ids of the benchmarked workspace
--   BENCH_PROD_MIN/MAX     its product ids (SKU-000001 is BENCH_PROD_MIN)
--   BENCH_LOC_MIN/MAX      its location ids
--   BENCH_REASON           id of an active reason code (rc_N)
--   BENCH_HOT              comma-separated hot stock line ids
--   BENCH_LIMIT            page size of the list scenarios
--   BENCH_PAGES            pages the list scenarios draw from
--
-- Each wrk thread has its own Lua state: setup() numbers the threads so
-- that each seeds its own random sequence, and done() prints one line that
-- scripts/bench parses.

local function env_int(name, default)
   local v = os.getenv(name)
   if v == nil or v == "" then
      if default == nil then
         error("scripts/bench: " .. name .. " is not set")
      end
      return default
   end
   return tonumber(v)
end

bench = {}
bench.line_min = env_int("BENCH_LINE_MIN", 1)
bench.line_max = env_int("BENCH_LINE_MAX", 1)
bench.prod_min = env_int("BENCH_PROD_MIN", 1)
bench.prod_max = env_int("BENCH_PROD_MAX", 1)
bench.loc_min = env_int("BENCH_LOC_MIN", 1)
bench.loc_max = env_int("BENCH_LOC_MAX", 1)
bench.reason = env_int("BENCH_REASON", 1)
bench.request = env_int("BENCH_REQUEST", 0)
bench.limit = env_int("BENCH_LIMIT", 20)
bench.pages = env_int("BENCH_PAGES", 50)
bench.hot = {}
for id in string.gmatch(os.getenv("BENCH_HOT") or "", "%d+") do
   bench.hot[#bench.hot + 1] = tonumber(id)
end

bench.headers = { ["Accept"] = "application/json" }
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
   bench.headers["Authorization"] = auth
end
bench.json_headers = { ["Accept"] = "application/json",
                       ["Content-Type"] = "application/json",
                       ["Authorization"] = bench.headers["Authorization"] }

function bench.line() return math.random(bench.line_min, bench.line_max) end
function bench.product() return math.random(bench.prod_min, bench.prod_max) end
function bench.location() return math.random(bench.loc_min, bench.loc_max) end
function bench.sku(product_id)
   return string.format("SKU-%06d", product_id - bench.prod_min + 1)
end

function bench.get(path)
   return wrk.format("GET", path, bench.headers)
end

function bench.post(path, body)
   return wrk.format("POST", path, bench.json_headers, body)
end

local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
end

function init(args)
   local tid = tonumber(wrk.thread:get("tid")) or 0
   math.randomseed(os.time() * 1000 + tid * 7919)
   for _ = 1, 10 do math.random() end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status, e.connect, e.read, e.write, e.timeout))
end
