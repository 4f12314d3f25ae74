-- "Forgot password?" links: only the SHA-256 of the 256-bit token is stored, like invitations.
-- A link works once, until expires_at; asking again or using one deletes the user's others.
-- Keep in step with the other engine's migration of the same number.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
