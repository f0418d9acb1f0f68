-- wrk script: POSTs Okta event hook deliveries of EVENTS events each, every event with a fresh
-- uuid, for the app the bench flow names. Stops each thread after REQUESTS requests if given.
-- RUN (optional) goes into every uuid, so that several wrk runs against one database never repeat one.
local events_per_delivery = tonumber(os.getenv("EVENTS") or "1")
local requests_per_thread = tonumber(os.getenv("REQUESTS") or "0")
local secret = os.getenv("SECRET") or "bench-secret"
local counter = 0
local sent = 0

-- setup() runs in wrk's main Lua state, each thread in a state of its own: thread:set() is the only
-- way to hand a thread its number, and it arrives there as the global thread_id (a chunk-level
-- local of the same name would hide it, and every thread would then send the same uuids).
local threads_set_up = 0
function setup(thread)
  threads_set_up = threads_set_up + 1
  thread:set("thread_id", threads_set_up)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  run_id = os.getenv("RUN") or string.format("%08x", math.random(0, 0x7fffffff))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = secret
end

local function event()
  counter = counter + 1
  return string.format([[{"uuid":"%s-%02d-%010d","published":"2026-11-02T09:15:02.512Z","eventType":"application.user_membership.remove","version":"0","displayMessage":"Remove user's application membership","severity":"INFO","actor":{"id":"00uBenchAdmin0001","type":"User","alternateId":"admin@bench.test","displayName":"Bench Admin"},"client":{"ipAddress":"198.51.100.7"},"outcome":{"result":"SUCCESS"},"target":[{"id":"0uaBench%06d","type":"AppUser","alternateId":"user%d@bench.test","displayName":"User %d"},{"id":"0oaBenchSalesforce1","type":"AppInstance","alternateId":"Salesforce.com","displayName":"Salesforce.com"},{"id":"00uBench%06d","type":"User","alternateId":"user%d@bench.test","displayName":"User %d"}]}]],
    run_id, thread_id, counter, counter % 1000000, counter, counter, counter % 1000000, counter, counter)
end

function request()
  if requests_per_thread > 0 and sent >= requests_per_thread then
    wrk.thread:stop()
  end
  sent = sent + 1
  local parts = {}
  for i = 1, events_per_delivery do
    parts[i] = event()
  end
  local body = '{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://bench.okta.example/api/v1/eventHooks/whoBench","eventId":"'
    .. run_id .. '","contentType":"application/json","data":{"events":[' .. table.concat(parts, ",") .. ']}}'
  return wrk.format(nil, "/hooks/okta", nil, body)
end

local errors = 0
function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if errors < 5 then
      io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    end
  end
end
