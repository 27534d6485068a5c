-- wrk script: POST a JSON body with a fresh UUID per request (idempotency keys never repeat).
-- BODY is a template with one %s for the UUID; HEADERS come from the environment.
local template = os.getenv("BODY")
local cookie = os.getenv("COOKIE") or ""
local csrf = os.getenv("CSRF") or ""
local counter = 0
local thread_id = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id * 7919)
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  local headers = {["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRFToken"] = csrf}
  return wrk.format("POST", nil, headers, string.format(template, uuid()))
end
