ALTER TABLE `artworks` ADD `phash` text;--> statement-breakpoint
ALTER TABLE `artworks` ADD `duplicate_of` integer;--> statement-breakpoint
CREATE INDEX `artworks_duplicate_of` ON `artworks` (`duplicate_of`);