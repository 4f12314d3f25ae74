-- useradmin schema (SQLite). Times are milliseconds since the Unix epoch (BIGINT), so that the
-- same handler SQL runs on PostgreSQL; keep in step with migrations/postgres. Ids are
-- AUTOINCREMENT: an id is never handed out twice, so a stale page or the mail worker can never
-- act on a row that replaced a deleted one.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    name TEXT,
    name_lower TEXT,
    password_hash TEXT,
    roles TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    invited_at BIGINT NOT NULL,
    registered_at BIGINT,
    invitation_token_hash TEXT UNIQUE,
    invitation_sent_at BIGINT,
    invitation_expires_at BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Mails are written here in the same transaction as the change that causes them, and
-- delivered from here, so that none is ever lost.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    before_state TEXT,
    after_state TEXT
);

-- Counters for rate limits (invitation resends, failed sign-ins): one row per event.
CREATE TABLE rate_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_lookup ON rate_events (kind, subject, at);

CREATE TABLE area_documents (
    area TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT
);

-- One row that every write transaction updates first: it takes the write lock at the start
-- of the transaction (no lock upgrades on SQLite) and serializes writers on PostgreSQL.
CREATE TABLE write_lock (
    id INTEGER PRIMARY KEY,
    counter BIGINT NOT NULL
);
INSERT INTO write_lock (id, counter) VALUES (1, 0);
