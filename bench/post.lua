-- wrk script: POST one XML file's body on every request (keep-alive), as
-- ../shared/bench/post.lua does, plus a done() hook that prints one machine-readable
-- line for run.sh. done() runs once after the run, so it costs nothing per request.
-- Usage: BODY=file.xml wrk -t1 -c16 -d10s -s post.lua http://127.0.0.1:PORT/API
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/xml"

function done(summary, latency, requests)
  -- wrk counts every complete response in summary.requests and responses with a status
  -- above 399 in errors.status; socket errors are responses that never completed.
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d status_errors=%d connect=%d read=%d write=%d timeout=%d " ..
    "duration_us=%d bytes=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout,
    summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99)))
end
