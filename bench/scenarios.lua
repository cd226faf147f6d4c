-- wrk script for every scenario of bench/run.sh:
--   wrk ... -s bench/scenarios.lua URL -- MODE [ARGS]
-- MODE is one of
--   by_id N            GET /schemas/ids/{1..N at random}
--   lookup S V         POST /subjects/{s} with version v's schema (s < S, v <= V at random)
--   reregister S V     POST /subjects/{s}/versions with an already registered schema
--   versions S         GET /subjects/{s}/versions
--   subjects           GET /subjects
--   mixed N S V        by_id, lookup and versions in turn (the memory check)
--   register_new NONCE [SUBJECT]
--                      POST a schema never seen before: to its own subject, or
--                      (with SUBJECT, set to NONE compatibility) all to one subject
-- The subjects and schemas are those of treaty_bench::{subject_name, schema_text}
-- (bench/src/lib.rs): keep the two in step. done() prints one BENCH line.

local counter = 1

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

local mode, a1, a2, a3
local seq = 0
local headers = { ["Content-Type"] = "application/vnd.schemaregistry.v1+json" }

local function subject_name(s)
   return string.format("bench-%06d-value", s)
end

local function schema_text(s, v)
   return string.format(
      '{"type":"record","name":"Order","namespace":"bench.s%06d","fields":[' ..
      '{"name":"id","type":"long"},{"name":"customer","type":"string"},' ..
      '{"name":"amount","type":"double"},' ..
      '{"name":"note","type":["null","string"],"default":null},' ..
      '{"name":"v%02d","type":"int","default":0}]}', s, v)
end

local function body(text)
   return '{"schema":"' .. text:gsub('"', '\\"') .. '"}'
end

function init(args)
   mode, a1, a2, a3 = args[1], args[2], args[3], args[4]
   math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

local function by_id(n)
   return wrk.format("GET", "/schemas/ids/" .. math.random(1, n))
end

local function lookup(subjects, versions, suffix)
   local s = math.random(0, subjects - 1)
   local v = math.random(1, versions)
   return wrk.format("POST", "/subjects/" .. subject_name(s) .. suffix, headers,
                     body(schema_text(s, v)))
end

local function versions_of(subjects)
   return wrk.format("GET", "/subjects/" .. subject_name(math.random(0, subjects - 1)) .. "/versions")
end

function request()
   seq = seq + 1
   if mode == "by_id" then
      return by_id(tonumber(a1))
   elseif mode == "lookup" then
      return lookup(tonumber(a1), tonumber(a2), "")
   elseif mode == "reregister" then
      return lookup(tonumber(a1), tonumber(a2), "/versions")
   elseif mode == "versions" then
      return versions_of(tonumber(a1))
   elseif mode == "subjects" then
      return wrk.format("GET", "/subjects")
   elseif mode == "mixed" then
      local turn = seq % 3
      if turn == 0 then return by_id(tonumber(a1)) end
      if turn == 1 then return lookup(tonumber(a2), tonumber(a3), "") end
      return versions_of(tonumber(a2))
   elseif mode == "register_new" then
      local name = string.format("N%s_%d_%d", a1, tid, seq)
      local text = '{"type":"record","name":"' .. name ..
         '","fields":[{"name":"id","type":"long"},{"name":"' .. name .. '_f","type":"string"}]}'
      local subject = a2 or ("new-" .. name)
      return wrk.format("POST", "/subjects/" .. subject .. "/versions", headers, body(text))
   end
   error("unknown mode " .. tostring(mode))
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
      "errors=%d non2xx=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50.0), latency:percentile(99.0), latency.max,
      e.connect + e.read + e.write + e.timeout, e.status))
end
