-- wrk script of the write benchmark (api.py): each thread has one connection and edits a user of
-- its own, so that writers never contend for a row, only for whatever else a write locks.
-- Arguments: the id of the first user to edit. The version each edit needs is read from the
-- previous answer (a conflict's body holds the current version too).
local threads = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

function init(args)
  target = tonumber(args[1]) + index
  version = 1
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local roles = (version % 2 == 0) and '"finance"' or '"reports"'
  return wrk.format("PATCH", "/api/v1/users/" .. target, nil,
    '{"roles": [' .. roles .. '], "version": ' .. version .. '}')
end

function response(status, headers, body)
  local current = body:match('"version":(%d+)')
  if current then
    version = tonumber(current)
  end
end
