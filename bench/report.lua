-- wrk script: optionally rotate through paths (WRK_PATHS, one per line, or the file named by
-- WRK_PATHS_FILE), each thread from its own random start, then print a JSON summary with req/s
-- and latency percentiles in milliseconds.
local paths = {}
local file = os.getenv("WRK_PATHS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then table.insert(paths, line) end
  end
else
  for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^\n]+") do
    table.insert(paths, path)
  end
end
local counter = 0

init = function(args)
  -- Each thread has its own Lua state: start them at different places in the list.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  if #paths > 0 then counter = math.random(#paths) end
end

request = function()
  if #paths == 0 then
    return wrk.format("GET")
  end
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON {"rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "errors": %d, "non2xx": %d, "requests": %d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status, summary.requests))
end
