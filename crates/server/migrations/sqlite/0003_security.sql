-- Secrets every instance shares: the key that signs device cookies (sign-in throttling).
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

-- Invitation links are no longer logged, so the outbox no longer keeps them apart from the body.
ALTER TABLE outbox DROP COLUMN link;

-- When the session's user last entered their password (sign-in, registration, password change
-- or confirmation): granting Administrator and removing a user need it within 10 minutes.
-- Sessions from before this migration have none, so they are asked once.
ALTER TABLE sessions ADD COLUMN password_at BIGINT;

-- Throttled sign-in attempts are one entry per account and window, counting them, so that an
-- attacker cannot grow the log without bound (NULL: an ordinary entry).
ALTER TABLE audit_log ADD COLUMN attempts BIGINT;
CREATE INDEX audit_log_coalesced ON audit_log (target, action, at);
