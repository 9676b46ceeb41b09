-- Hand-written: FTS5 over the searchable text of artworks (external content, kept in sync by triggers).
CREATE VIRTUAL TABLE `artworks_fts` USING fts5(
  title, artist, tags, description, category,
  content='artworks', content_rowid='id',
  tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `artworks_fts_ai` AFTER INSERT ON `artworks` BEGIN
  INSERT INTO artworks_fts(rowid, title, artist, tags, description, category)
  VALUES (new.id, new.title, new.artist, new.tags, new.description, new.category);
END;
--> statement-breakpoint
CREATE TRIGGER `artworks_fts_ad` AFTER DELETE ON `artworks` BEGIN
  INSERT INTO artworks_fts(artworks_fts, rowid, title, artist, tags, description, category)
  VALUES ('delete', old.id, old.title, old.artist, old.tags, old.description, old.category);
END;
--> statement-breakpoint
CREATE TRIGGER `artworks_fts_au` AFTER UPDATE OF title, artist, tags, description, category ON `artworks` BEGIN
  INSERT INTO artworks_fts(artworks_fts, rowid, title, artist, tags, description, category)
  VALUES ('delete', old.id, old.title, old.artist, old.tags, old.description, old.category);
  INSERT INTO artworks_fts(rowid, title, artist, tags, description, category)
  VALUES (new.id, new.title, new.artist, new.tags, new.description, new.category);
END;
