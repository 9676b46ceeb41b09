// Near-duplicate generators for the visual-similarity evaluation (issue 4). Each one takes an encoded
// corpus image and returns an encoded variant that a good descriptor should still match to its source.
// Deterministic: the only per-image choice (the tint) is picked from a fixed palette by index.
import sharp, { type Sharp } from "sharp";

export interface Transform {
  readonly name: string;
  readonly description: string;
  apply(bytes: Uint8Array, index: number): Promise<Uint8Array>;
}

const WHITE = { r: 255, g: 255, b: 255 };
/** Paper-like tints for the "printed on tinted stock" variant. */
const TINTS = [
  { r: 238, g: 224, b: 196 },
  { r: 214, g: 230, b: 240 },
  { r: 236, g: 214, b: 220 },
  { r: 220, g: 236, b: 210 },
  { r: 200, g: 200, b: 200 },
];

const png = (s: Sharp) => s.png({ compressionLevel: 1 }).toBuffer().then((b) => new Uint8Array(b));
const open = (bytes: Uint8Array) => sharp(bytes).flatten({ background: WHITE });

export const TRANSFORMS: readonly Transform[] = [
  {
    name: "rerender256",
    description: "re-rendered so the longer side is 256 px",
    apply: (b) => png(open(b).resize(256, 256, { fit: "inside", kernel: "lanczos3" })),
  },
  {
    name: "hue90",
    description: "hue rotated by 90° (sharp modulate)",
    apply: (b) => png(open(b).modulate({ hue: 90 })),
  },
  {
    name: "greyscale",
    description: "converted to greyscale",
    apply: (b) => png(open(b).greyscale()),
  },
  {
    name: "crop80",
    description: "centre crop keeping 80% of width and height",
    apply: async (b) => {
      const { width = 0, height = 0 } = await sharp(b).metadata();
      const w = Math.max(1, Math.round(width * 0.8));
      const h = Math.max(1, Math.round(height * 0.8));
      return png(open(b).extract({ left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h }));
    },
  },
  {
    name: "mirror",
    description: "horizontal mirror",
    apply: (b) => png(open(b).flop()),
  },
  {
    name: "jpeg30tint",
    description: "multiplied onto a tinted paper colour with a 6% tinted margin, saved as JPEG quality 30",
    apply: async (b, i) => {
      const tint = TINTS[i % TINTS.length]!;
      const { data, info } = await open(b).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const margin = Math.round(Math.max(info.width, info.height) * 0.06);
      const tinted = await sharp({ create: { width: info.width, height: info.height, channels: 3, background: tint } })
        .composite([{ input: data, raw: { width: info.width, height: info.height, channels: 3 }, blend: "multiply" }])
        .removeAlpha()
        .raw()
        .toBuffer();
      const out = await sharp(tinted, { raw: { width: info.width, height: info.height, channels: 3 } })
        .extend({ top: margin, bottom: margin, left: margin, right: margin, background: tint })
        .jpeg({ quality: 30 })
        .toBuffer();
      return new Uint8Array(out);
    },
  },
  {
    name: "rotate15",
    description: "rotated 15° clockwise on white (canvas grows to fit)",
    apply: (b) => png(open(b).rotate(15, { background: WHITE })),
  },
];

export function transformByName(name: string): Transform {
  const t = TRANSFORMS.find((x) => x.name === name);
  if (!t) throw new Error(`unknown transform "${name}"; known: ${TRANSFORMS.map((x) => x.name).join(", ")}`);
  return t;
}
