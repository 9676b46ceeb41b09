// Writes crawled products to `artworks`, keyed by (shop, canonical URL) so ids stay stable.
// Unchanged content (same record hash) only bumps last_seen; size/price changes are kept in price_history.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../common/db/client.ts";
import { artworks, priceHistory, shops } from "../../common/db/schema.ts";
import { orientationOf, type ImageVariants, type PrintSize } from "../../common/domain.ts";
import { sha256Hex } from "../../common/artifacts/format.ts";
import type { ShopConfig } from "./shop-config.ts";
import type { DuplicateIndex } from "./duplicates.ts";

export interface ArtworkRecord {
  shopId: string;
  sourceUrl: string;
  canonicalUrl: string;
  title: string;
  artist: string | null;
  description: string | null;
  tags: string[];
  categories: string[];
  sizes: PrintSize[];
  currency: string | null;
  minPriceCents: number | null;
  imageUrl: string | null;
  image: { hash: string; width: number; height: number; variants: ImageVariants; phash: string | null } | null;
  affiliateUrl: string | null;
  warnings: string[];
}

export type UpsertOutcome = "inserted" | "updated" | "unchanged";

export interface UpsertResult {
  id: number;
  outcome: UpsertOutcome;
  /** The primary work this listing was linked to as another offer (same or near-identical image). */
  duplicateOf: number | null;
  duplicateHow?: "exact" | "near";
}

export async function ensureShop(db: Db, config: ShopConfig): Promise<void> {
  const values = { id: config.id, name: config.name, baseUrl: config.baseUrl, currency: config.currency, affiliateTemplate: config.affiliate.template };
  await db.insert(shops).values(values).onConflictDoUpdate({ target: shops.id, set: values });
}

export async function recordHash(r: ArtworkRecord): Promise<string> {
  const { sourceUrl: _ignored, ...stable } = r;
  return sha256Hex(JSON.stringify(stable));
}

export async function upsertArtwork(db: Db, r: ArtworkRecord, dupes?: DuplicateIndex): Promise<UpsertResult> {
  const contentHash = await recordHash(r);
  const now = new Date().toISOString();
  const existing = (
    await db
      .select({ id: artworks.id, contentHash: artworks.contentHash, sizes: artworks.sizes, status: artworks.status, duplicateOf: artworks.duplicateOf })
      .from(artworks)
      .where(and(eq(artworks.shopId, r.shopId), eq(artworks.canonicalUrl, r.canonicalUrl)))
      .limit(1)
  )[0];
  if (existing && existing.contentHash === contentHash) {
    await db.update(artworks).set({ lastSeen: now, status: "active" }).where(eq(artworks.id, existing.id));
    return { id: existing.id, outcome: "unchanged", duplicateOf: existing.duplicateOf };
  }
  const values = {
    shopId: r.shopId,
    sourceUrl: r.sourceUrl,
    canonicalUrl: r.canonicalUrl,
    title: r.title,
    artist: r.artist,
    description: r.description,
    tags: r.tags,
    category: r.categories[0] ?? null,
    categories: r.categories,
    sizes: r.sizes,
    currency: r.currency,
    minPriceCents: r.minPriceCents,
    orientation: r.image ? orientationOf(r.image.width, r.image.height) : null,
    imageUrl: r.imageUrl,
    imageHash: r.image?.hash ?? null,
    imageWidth: r.image?.width ?? null,
    imageHeight: r.image?.height ?? null,
    imageVariants: r.image?.variants ?? {},
    phash: r.image?.phash ?? null,
    affiliateUrl: r.affiliateUrl,
    warnings: r.warnings,
    contentHash,
    status: "active" as const,
    lastSeen: now,
    updatedAt: now,
  };
  const match = dupes && r.image?.phash ? dupes.find(existing?.id ?? null, { shopId: r.shopId, hash: r.image.hash, phash: r.image.phash, width: r.image.width, height: r.image.height }) : null;
  const duplicateOf = match?.id ?? null;
  let id: number;
  let outcome: UpsertOutcome;
  if (existing) {
    await db.update(artworks).set({ ...values, duplicateOf }).where(eq(artworks.id, existing.id));
    if (JSON.stringify(existing.sizes) !== JSON.stringify(r.sizes)) await db.insert(priceHistory).values({ artworkId: existing.id, sizes: r.sizes });
    [id, outcome] = [existing.id, "updated"];
  } else {
    const [row] = await db.insert(artworks).values({ ...values, duplicateOf, firstSeen: now }).returning({ id: artworks.id });
    await db.insert(priceHistory).values({ artworkId: row!.id, sizes: r.sizes });
    [id, outcome] = [row!.id, "inserted"];
  }
  if (dupes) {
    if (duplicateOf === null && r.image?.phash) dupes.add(id, { shopId: r.shopId, hash: r.image.hash, phash: r.image.phash, width: r.image.width, height: r.image.height });
    else dupes.remove(id);
  }
  return { id, outcome, duplicateOf, ...(match ? { duplicateHow: match.how } : {}) };
}

export async function touchArtworkBySource(db: Db, shopId: string, sourceUrl: string): Promise<void> {
  await db.update(artworks).set({ lastSeen: new Date().toISOString() }).where(and(eq(artworks.shopId, shopId), eq(artworks.sourceUrl, sourceUrl)));
}

/** Products that answer 404/410 are marked removed, never deleted (wall items and clicks refer to them). */
export async function markRemovedBySource(db: Db, shopId: string, sourceUrl: string): Promise<void> {
  await db.update(artworks).set({ status: "removed", updatedAt: new Date().toISOString() }).where(and(eq(artworks.shopId, shopId), eq(artworks.sourceUrl, sourceUrl)));
}

export async function findBySource(db: Db, shopId: string, sourceUrl: string) {
  return (
    await db
      .select({ id: artworks.id, imageHash: artworks.imageHash, imageUrl: artworks.imageUrl })
      .from(artworks)
      .where(and(eq(artworks.shopId, shopId), eq(artworks.sourceUrl, sourceUrl)))
      .limit(1)
  )[0];
}

/** Fills the shop's affiliate template for one offer and appends its affiliate parameters. */
export function buildAffiliateUrl(config: ShopConfig, fields: { offerUrl: string | null; url: string; size: string | null }): string | null {
  const filled = config.affiliate.template
    .replaceAll("{offerUrl}", fields.offerUrl ?? fields.url)
    .replaceAll("{url}", fields.url)
    .replaceAll("{size}", encodeURIComponent(fields.size ?? ""));
  let u: URL;
  try {
    u = new URL(filled);
  } catch {
    return null;
  }
  for (const [k, v] of Object.entries(config.affiliate.params)) u.searchParams.set(k, v);
  return u.toString();
}
