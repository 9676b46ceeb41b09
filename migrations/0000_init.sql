CREATE TABLE `actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text,
	`kind` text NOT NULL,
	`artwork_id` integer,
	`query` text,
	`target_action_id` integer,
	`undone_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `actions_session` ON `actions` (`session_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `actions_user` ON `actions` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `affiliate_clicks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`artwork_id` integer NOT NULL,
	`size_label` text,
	`session_id` text,
	`target_url` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `affiliate_clicks_artwork` ON `affiliate_clicks` (`artwork_id`);--> statement-breakpoint
CREATE TABLE `artifact_versions` (
	`version` text PRIMARY KEY NOT NULL,
	`manifest_sha256` text NOT NULL,
	`count` integer NOT NULL,
	`status` text DEFAULT 'built' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`published_at` text
);
--> statement-breakpoint
CREATE TABLE `artwork_tags` (
	`artwork_id` integer NOT NULL,
	`tag` text NOT NULL,
	`score` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`artwork_id`, `tag`),
	FOREIGN KEY (`artwork_id`) REFERENCES `artworks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `artwork_tags_tag` ON `artwork_tags` (`tag`,`score`);--> statement-breakpoint
CREATE TABLE `artworks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop_id` text NOT NULL,
	`source_url` text NOT NULL,
	`canonical_url` text NOT NULL,
	`title` text NOT NULL,
	`artist` text,
	`description` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`category` text,
	`categories` text DEFAULT '[]' NOT NULL,
	`sizes` text DEFAULT '[]' NOT NULL,
	`currency` text,
	`min_price_cents` integer,
	`orientation` text,
	`image_url` text,
	`image_hash` text,
	`image_width` integer,
	`image_height` integer,
	`image_variants` text DEFAULT '{}' NOT NULL,
	`affiliate_url` text,
	`warnings` text DEFAULT '[]' NOT NULL,
	`content_hash` text,
	`status` text DEFAULT 'active' NOT NULL,
	`first_seen` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `artworks_shop_canonical` ON `artworks` (`shop_id`,`canonical_url`);--> statement-breakpoint
CREATE INDEX `artworks_image_hash` ON `artworks` (`image_hash`);--> statement-breakpoint
CREATE INDEX `artworks_status` ON `artworks` (`status`);--> statement-breakpoint
CREATE TABLE `crawl_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop_id` text NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	`stats` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `crawl_urls` (
	`url` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`kind` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`etag` text,
	`last_modified` text,
	`sitemap_lastmod` text,
	`content_hash` text,
	`status_code` integer,
	`error` text,
	`discovered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`fetched_at` text,
	`run_id` integer
);
--> statement-breakpoint
CREATE INDEX `crawl_urls_queue` ON `crawl_urls` (`shop_id`,`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `exposures` (
	`session_id` text NOT NULL,
	`artwork_id` integer NOT NULL,
	`surface` text NOT NULL,
	`count` integer DEFAULT 1 NOT NULL,
	`last_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`session_id`, `artwork_id`, `surface`)
);
--> statement-breakpoint
CREATE TABLE `pipeline_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`stage` text NOT NULL,
	`shard` text,
	`status` text NOT NULL,
	`input_hash` text,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	`stats` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `price_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`artwork_id` integer NOT NULL,
	`sizes` text NOT NULL,
	`observed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`artwork_id`) REFERENCES `artworks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `price_history_artwork` ON `price_history` (`artwork_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `shops` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`affiliate_template` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`name` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`score` real DEFAULT 0 NOT NULL,
	`weighted_score` real DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `wall_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wall_id` text NOT NULL,
	`artwork_id` integer NOT NULL,
	`size_label` text NOT NULL,
	`frame_color` text DEFAULT 'black' NOT NULL,
	`x_cm` real DEFAULT 0 NOT NULL,
	`y_cm` real DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`wall_id`) REFERENCES `walls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`artwork_id`) REFERENCES `artworks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wall_items_wall` ON `wall_items` (`wall_id`);--> statement-breakpoint
CREATE TABLE `walls` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_session_id` text NOT NULL,
	`owner_user_id` text,
	`name` text NOT NULL,
	`share_id` text,
	`width_cm` real DEFAULT 300 NOT NULL,
	`height_cm` real DEFAULT 250 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `walls_share_id_unique` ON `walls` (`share_id`);--> statement-breakpoint
CREATE INDEX `walls_owner_session` ON `walls` (`owner_session_id`);--> statement-breakpoint
CREATE INDEX `walls_owner_user` ON `walls` (`owner_user_id`);