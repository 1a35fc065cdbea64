-- Replays the requests of a file written by prepare.py, one a line:
--   METHOD<TAB>PATH<TAB>Header: value|Header: value<TAB>BODY
--   wrk -t2 -s bench/load/requests.lua URL -- FILE MODE THREADS
-- Thread k of THREADS takes lines k, k+THREADS, ... and builds them once, before the run.
-- MODE "cycle" starts over at the end (reads); MODE "once" sends each line at most once (writes whose
-- precondition is used up: an open attempt, a due card) and stops the thread when its lines run out.
-- Prints p50 and p95 latency in milliseconds, and "exhausted" when a "once" run ran out of lines.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, mode, nthreads = args[1], args[2] or "cycle", tonumber(args[3] or "1")
  once = mode == "once"
  exhausted = 0
  reqs = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id then
      local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local h = { Host = wrk.headers["Host"] }
      for header in headers:gmatch("[^|]+") do
        local name, value = header:match("^([^:]+):%s*(.*)$")
        h[name] = value
      end
      reqs[#reqs + 1] = wrk.format(method, path, h, body ~= "" and body or nil)
    end
    n = n + 1
  end
  if #reqs == 0 then error("no requests for thread " .. id .. " in " .. file) end
  i = 0
end

function request()
  i = i + 1
  if i > #reqs then
    if once then
      exhausted = 1
      wrk.thread:stop()
      -- Sent only while the loop winds down; its answer is never counted.
      return wrk.format("GET", "/bench/bare/")
    end
    i = 1
  end
  return reqs[i]
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95 %.2f\n", latency:percentile(95) / 1000))
  for _, thread in ipairs(threads) do
    if thread:get("exhausted") == 1 then io.write("exhausted\n") break end
  end
end
