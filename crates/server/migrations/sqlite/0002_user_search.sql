-- Substring search on users (name or e-mail) without scanning the table: an FTS5 index of
-- trigrams over the lower-cased columns, kept in step with `users` by triggers (so every write,
-- whatever its path, updates it in the same transaction). It only narrows the candidates: the
-- handler still checks each candidate with the exact LIKE pattern. Keep in step with
-- migrations/postgres (pg_trgm).

CREATE VIRTUAL TABLE users_search USING fts5(
    email_lower, name_lower, content = 'users', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO users_search (users_search) VALUES ('rebuild');

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, email_lower, name_lower) VALUES (new.id, new.email_lower, new.name_lower);
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_lower, name_lower)
        VALUES ('delete', old.id, old.email_lower, old.name_lower);
END;

CREATE TRIGGER users_search_update AFTER UPDATE OF email_lower, name_lower ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_lower, name_lower)
        VALUES ('delete', old.id, old.email_lower, old.name_lower);
    INSERT INTO users_search (rowid, email_lower, name_lower) VALUES (new.id, new.email_lower, new.name_lower);
END;
