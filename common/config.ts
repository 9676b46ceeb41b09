// Every setting comes from environment variables, parsed here once. The README lists them.
import { z } from "zod";

const EnvSchema = z.object({
  /** Root for the embedded default's files (DB, bucket, model cache). */
  ARTSNOB_DATA_DIR: z.string().default("data"),
  /** libsql URL: `file:…` (embedded default) or `libsql://…` / `https://…` (Turso). */
  DATABASE_URL: z.string().optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** Bucket: a local directory path (default `<data>/bucket`) or `gs://bucket[/prefix]`. */
  BUCKET: z.string().optional(),
  /** GCS JSON API endpoint override (tests point it at the local fake). */
  GCS_API_ENDPOINT: z.string().url().optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** HMAC key for session cookies. Required outside the embedded default. */
  SESSION_SECRET: z.string().min(16).optional(),
  /** Public origin used in canonical URLs and redirects, e.g. https://artsnob.example. */
  PUBLIC_ORIGIN: z.string().url().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type AppConfig = z.infer<typeof EnvSchema> & { databaseUrl: string; bucket: string };

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid configuration: ${issues}`);
  }
  const c = parsed.data;
  const dataDir = c.ARTSNOB_DATA_DIR.replace(/\/+$/, "");
  return {
    ...c,
    databaseUrl: c.DATABASE_URL ?? `file:${dataDir}/artsnob.db`,
    bucket: c.BUCKET ?? `${dataDir}/bucket`,
  };
}
