// Dominant colour names of a work from its palette histogram (the classic-v1 colour-block layout,
// batch/features/classic/palette.ts): dims 0..35 are 12 hue bins × 3 value bins (saturation-weighted,
// sqrt of the pixel share), dims 36..41 six grey levels (dark → light). The lightest grey is taken as
// the paper/background. Pure: the batch names colours once per work, the edge reads the names; both
// (and the edge's classic-v1 fallback) use this one implementation.

export const COLOURS = ["red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "brown", "black", "grey", "white"] as const;
/** Artifact file with the names per row (batch/export/colours.ts writes it, the edge reads it). */
export const COLOURS_FILE = "colours.json";
export type Colour = (typeof COLOURS)[number];
/** Version of the naming rule below; bump it when the rule changes so exports are rebuilt. */
export const COLOUR_NAMING_VERSION = 1;

const HUE_NAMES: Colour[] = ["red", "orange", "yellow", "green", "green", "green", "cyan", "blue", "blue", "purple", "pink", "red"];

/**
 * Up to two dominant colours of one palette: `palette[offset + i] * scale` is histogram dim i
 * (scale 1/127 for int8-quantised vectors). Never empty: a blank work is "white".
 */
export function dominantColours(palette: ArrayLike<number>, offset = 0, scale = 1): Colour[] {
  const mass = new Map<Colour, number>();
  const add = (c: Colour, m: number) => mass.set(c, (mass.get(c) ?? 0) + m);
  for (let h = 0; h < 12; h++) {
    for (let v = 0; v < 3; v++) {
      const q = palette[offset + h * 3 + v]! * scale;
      // Dark oranges and reds read as brown.
      add(v === 0 && (h === 0 || h === 1) ? "brown" : HUE_NAMES[h]!, q * q);
    }
  }
  for (let g = 0; g < 6; g++) {
    const q = palette[offset + 36 + g]! * scale;
    add(g <= 1 ? "black" : g <= 3 ? "grey" : "white", g === 5 ? 0 : q * q);
  }
  const ranked = [...mass].filter(([, m]) => m > 0).sort((a, b) => b[1] - a[1]);
  const top = ranked[0]?.[1] ?? 0;
  const colours = ranked.filter(([, m], i) => i < 2 && m >= top * 0.35).map(([c]) => c);
  return colours.length ? colours : ["white"];
}

/** Colour names as a u16 bitmask (bit i = COLOURS[i]): the per-row form of colours.json. */
export function colourMask(colours: readonly Colour[]): number {
  let m = 0;
  for (const c of colours) m |= 1 << COLOURS.indexOf(c);
  return m;
}

export function coloursOfMask(mask: number): Colour[] {
  return COLOURS.filter((_, i) => mask & (1 << i));
}
