-- A deactivated user keeps their row, roles and history but cannot sign in; NULL while active.
-- Keep in step with the other engine's migration of the same number.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
