-- wrk script: optionally rotate through WRK_PATHS (one per line), then print a JSON summary
-- with req/s and latency percentiles in milliseconds.
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^\n]+") do
  table.insert(paths, path)
end
local counter = 0

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
    'JSON {"rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "errors": %d, "non2xx": %d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
