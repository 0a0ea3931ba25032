-- The page mix of `manage.py loadtest`, for wrk.
--
--   wrk -t2 -c8 -d20s --latency -s bench/wrk_mix.lua http://127.0.0.1:PORT -- MIX_FILE
--
-- MIX_FILE holds one request a line: a path, a tab, and the Cookie header that signs it in. Each wrk
-- thread goes round the list from its own starting point. Every request says it came over HTTPS
-- (X-Forwarded-Proto), as behind the production proxy, so the HTTPS redirect does not answer it.
-- At the end, one line "WRK_SUMMARY {json}" carries the figures the command reads.

-- Wall-clock time with microseconds through LuaJIT's FFI, to place failures against the fault
-- injector's kills; whole seconds where the FFI is not there.
local now = os.time
local has_ffi, ffi = pcall(require, "ffi")
if has_ffi then
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_usec; } wrk_mix_timeval;
    int gettimeofday(wrk_mix_timeval *tv, void *tz);
  ]])
  local tv = ffi.new("wrk_mix_timeval")
  now = function()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
  end
end

local MAX_FAILURE_TIMES = 5000
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  mix = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      table.insert(mix, wrk.format("GET", path, { Cookie = cookie, ["X-Forwarded-Proto"] = "https" }))
    end
  end
  if #mix == 0 then
    error("no requests in " .. tostring(args[1]))
  end
  position = thread_index
  statuses = {}
  failure_times = {}
end

function request()
  position = position + 1
  return mix[(position % #mix) + 1]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status >= 400 and #failure_times < MAX_FAILURE_TIMES then
    table.insert(failure_times, now())
  end
end

local function json_value(value)
  if type(value) == "table" then
    if #value > 0 or next(value) == nil then
      local items = {}
      for _, item in ipairs(value) do
        table.insert(items, json_value(item))
      end
      return "[" .. table.concat(items, ",") .. "]"
    end
    local items = {}
    for key, item in pairs(value) do
      table.insert(items, string.format("%q:%s", tostring(key), json_value(item)))
    end
    return "{" .. table.concat(items, ",") .. "}"
  elseif type(value) == "number" then
    return string.format("%.6f", value)
  end
  return string.format("%q", tostring(value))
end

function done(summary, latency, requests)
  local statuses_all, failure_times_all = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      statuses_all[status] = (statuses_all[status] or 0) + count
    end
    for _, at in ipairs(thread:get("failure_times") or {}) do
      table.insert(failure_times_all, at)
    end
  end
  local seconds = summary.duration / 1e6
  local result = {
    requests = summary.requests,
    duration_s = seconds,
    bytes = summary.bytes,
    requests_per_s = summary.requests / seconds,
    latency_ms = {
      p50 = latency:percentile(50) / 1000,
      p90 = latency:percentile(90) / 1000,
      p95 = latency:percentile(95) / 1000,
      p99 = latency:percentile(99) / 1000,
      mean = latency.mean / 1000,
      max = latency.max / 1000,
    },
    errors = {
      status = summary.errors.status,
      connect = summary.errors.connect,
      read = summary.errors.read,
      write = summary.errors.write,
      timeout = summary.errors.timeout,
    },
    statuses = statuses_all,
    failure_times = failure_times_all,
    clock = has_ffi and "microseconds" or "seconds",
  }
  io.write("WRK_SUMMARY ", json_value(result), "\n")
end
