-- Substring search on users (name or e-mail) without scanning the table: trigram GIN indexes
-- (pg_trgm, a contrib extension trusted since PostgreSQL 13, so the database owner may create
-- it) serve `LIKE '%term%'`. Without the pending list (fastupdate off) a search never reads
-- through recent inserts linearly and the planner's estimates stay right; users are written
-- rarely. In step with migrations/sqlite (FTS5 trigram).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trigrams ON users USING gin (email_lower gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX users_name_trigrams ON users USING gin (name_lower gin_trgm_ops) WITH (fastupdate = off);
