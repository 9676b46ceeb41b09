// OpenMoji Stickers names the designer as { first, last } in its JSON state; the config's paths
// read strings only, so this hook joins the two parts into the artist.
import type { ShopHook } from "./types.ts";

const hook: ShopHook = {
  afterExtract(product) {
    const d = product.state?.designer;
    if (!d || typeof d !== "object") return product;
    const { first, last } = d as { first?: unknown; last?: unknown };
    const name = [first, last].filter((x): x is string => typeof x === "string" && x.trim() !== "").join(" ").trim();
    return name ? { ...product, artist: name } : product;
  },
};
export default hook;
