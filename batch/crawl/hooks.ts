// Loads a shop's hook module (batch/hooks/<name>.ts) by the name in its config; none by default.
import type { ShopHook } from "../hooks/types.ts";
import { ShopConfigError } from "./shop-config.ts";

export async function loadHook(name: string | undefined): Promise<ShopHook | null> {
  if (!name) return null;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new ShopConfigError(`hook name ${name} is not a module name`);
  try {
    const mod = (await import(new URL(`../hooks/${name}.ts`, import.meta.url).href)) as { default?: ShopHook };
    if (!mod.default || typeof mod.default !== "object") throw new Error("no default export");
    return mod.default;
  } catch (e) {
    throw new ShopConfigError(`cannot load hook batch/hooks/${name}.ts: ${(e as Error).message}`);
  }
}
