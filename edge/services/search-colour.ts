// Dominant colours of each work for the colour filter. Preferred source: colours.json, the names the
// batch computed once per work from its palette (any embedder). Fallback for older sets: the
// classic-v1 descriptor's colour block (its first 42 dims have the palette layout). Otherwise null,
// and the filter answers `filter_unavailable`. The naming rule is common/colours.ts.
import { COLOURS, coloursOfMask, dominantColours, type Colour } from "../../common/colours.ts";
import type { ArtworkModel } from "./artwork-model.ts";

export { COLOURS, type Colour };

const cache = new WeakMap<ArtworkModel, Map<number, Colour[]> | null>();

export function colourIndex(model: ArtworkModel): Map<number, Colour[]> | null {
  if (cache.has(model)) return cache.get(model)!;
  const set = model.set;
  let out: Map<number, Colour[]> | null = null;
  if (set && model.colours) {
    out = new Map();
    for (const id of model.snapshot.ids) {
      const r = model.rowOf(id);
      if (r !== undefined) out.set(id, coloursOfMask(model.colours[r] ?? 0));
    }
  } else if (set && set.manifest.embedder.id === "classic-v1" && set.manifest.dim >= 48) {
    out = new Map();
    for (const id of model.snapshot.ids) {
      const r = model.rowOf(id);
      if (r !== undefined) out.set(id, dominantColours(set.rowVector(r), 0, 1 / 127));
    }
  }
  cache.set(model, out);
  return out;
}
