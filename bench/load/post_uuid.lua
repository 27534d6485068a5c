-- wrk script: POST a JSON body made fresh for every request.
-- BODY is a template: {uuid} becomes a new UUID (idempotency keys never repeat),
-- {lat}/{lng} a position jittered by up to ~20 m around LAT/LNG (real GPS fixes
-- never repeat exactly), {at} the current UTC time. COOKIE and CSRF come from
-- the environment.
local template = os.getenv("BODY")
local cookie = os.getenv("COOKIE") or ""
local csrf = os.getenv("CSRF") or ""
local lat0 = tonumber(os.getenv("LAT") or "0")
local lng0 = tonumber(os.getenv("LNG") or "0")

-- Every thread seeds from /dev/urandom. Seeding from os.time() and a counter in
-- setup() gave both threads the same sequence (setup runs in each thread's own
-- Lua state), so half the "fresh" UUIDs were replays: ON CONFLICT DO NOTHING hid
-- that in the minimal insert, and the check-in counted them as cheap 200s.
function init(args)
  local f = assert(io.open("/dev/urandom", "rb"))
  local bytes = f:read(6)
  f:close()
  local seed = 0
  for i = 1, #bytes do
    seed = seed * 256 + string.byte(bytes, i)
  end
  math.randomseed(seed)
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  local headers = {["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRFToken"] = csrf}
  local body = template
  body = string.gsub(body, "{uuid}", uuid())
  body = string.gsub(body, "{lat}", string.format("%.7f", lat0 + (math.random() - 0.5) * 0.0004))
  body = string.gsub(body, "{lng}", string.format("%.7f", lng0 + (math.random() - 0.5) * 0.0004))
  body = string.gsub(body, "{at}", os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", nil, headers, body)
end

-- Show the first few failures, so an error count comes with its cause.
local shown = 0
response = function(status, headers, body)
  if status >= 300 and shown < 3 then
    shown = shown + 1
    io.stderr:write(string.format("HTTP %d: %s\n", status, string.sub(body or "", 1, 300)))
  end
end
