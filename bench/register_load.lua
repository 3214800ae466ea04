-- wrk's script for bench/register.py: each request takes the next path of the file named by
-- BENCH_PATHS (one per line), asks in Vietnamese, and the run ends with one line of figures:
-- "figures <requests> <errors> <seconds> <p50 ms> <p95 ms>". Latencies are wrk's own, taken
-- in C around each request on a keep-alive connection.

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end
local counter = 0

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["Accept-Language"] = "vi" })
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  io.write(string.format("figures %d %d %.6f %.3f %.3f\n", summary.requests, failed,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
