-- wrk script for bench/sites_search.py: cycle through the request paths listed
-- (one per line) in the file named by PATHS_FILE, each thread from its own offset.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do
    paths[#paths + 1] = line
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
