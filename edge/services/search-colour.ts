// Dominant colours of a work, read from the classic-v1 descriptor's colour block (no extra artifact):
// dims 0..35 are 12 hue bins × 3 value bins (saturation-weighted, sqrt of the pixel share), dims
// 36..41 six grey levels (dark → light). The lightest grey is taken as the paper/background.
import type { ArtworkModel } from "./artwork-model.ts";

export const COLOURS = ["red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "brown", "black", "grey", "white"] as const;
export type Colour = (typeof COLOURS)[number];

const HUE_NAMES: Colour[] = ["red", "orange", "yellow", "green", "green", "green", "cyan", "blue", "blue", "purple", "pink", "red"];
const cache = new WeakMap<ArtworkModel, Map<number, Colour[]> | null>();

export function colourIndex(model: ArtworkModel): Map<number, Colour[]> | null {
  if (cache.has(model)) return cache.get(model)!;
  const set = model.set;
  let out: Map<number, Colour[]> | null = null;
  if (set && set.manifest.embedder.id === "classic-v1" && set.manifest.dim >= 48) {
    out = new Map();
    const dim = set.manifest.dim;
    for (const id of model.snapshot.ids) {
      const r = model.rowOf(id);
      if (r === undefined) continue;
      const mass = new Map<Colour, number>();
      const add = (c: Colour, m: number) => mass.set(c, (mass.get(c) ?? 0) + m);
      for (let h = 0; h < 12; h++) {
        for (let v = 0; v < 3; v++) {
          const q = set.vectors[r * dim + h * 3 + v]! / 127;
          // Dark oranges and reds read as brown.
          add(v === 0 && (h === 0 || h === 1) ? "brown" : HUE_NAMES[h]!, q * q);
        }
      }
      for (let g = 0; g < 6; g++) {
        const q = set.vectors[r * dim + 36 + g]! / 127;
        add(g <= 1 ? "black" : g <= 3 ? "grey" : "white", g === 5 ? 0 : q * q);
      }
      const ranked = [...mass].filter(([, m]) => m > 0).sort((a, b) => b[1] - a[1]);
      const top = ranked[0]?.[1] ?? 0;
      const colours = ranked.filter(([, m], i) => i < 2 && m >= top * 0.35).map(([c]) => c);
      out.set(id, colours.length ? colours : ["white"]);
    }
  }
  cache.set(model, out);
  return out;
}
