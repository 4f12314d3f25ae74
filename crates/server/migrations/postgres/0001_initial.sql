-- useradmin schema (PostgreSQL), in step with migrations/sqlite. Times are milliseconds since
-- the Unix epoch (BIGINT); ids are identities, never handed out twice; keys that are sorted
-- or compared use the "C" collation so that order is the same as on SQLite.

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    email_lower TEXT COLLATE "C" NOT NULL UNIQUE,
    name TEXT,
    name_lower TEXT COLLATE "C",
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

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    before_state TEXT,
    after_state TEXT
);

CREATE TABLE rate_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

CREATE TABLE write_lock (
    id BIGINT PRIMARY KEY,
    counter BIGINT NOT NULL
);
INSERT INTO write_lock (id, counter) VALUES (1, 0);
