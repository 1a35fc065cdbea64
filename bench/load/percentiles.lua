-- Prints p50 and p95 latency in milliseconds after wrk's own summary.
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95 %.2f\n", latency:percentile(95) / 1000))
end
