-- Substring search on users (name or e-mail) without scanning the table: trigram GIN indexes
-- (pg_trgm, a contrib extension trusted since PostgreSQL 13, so the database owner may create
-- it) serve `LIKE '%term%'` directly; the planner still prefers the e-mail index when a term
-- is so common that walking in e-mail order finds a page sooner. In step with
-- migrations/sqlite (FTS5 trigram).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trigrams ON users USING gin (email_lower gin_trgm_ops);
CREATE INDEX users_name_trigrams ON users USING gin (name_lower gin_trgm_ops);
