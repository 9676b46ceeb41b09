// Renders one SVG to a WebP on a white background with sharp (libvips + librsvg, in-process).
// Many openclipart drawings sit in a corner of an A4/Letter page, so we crop to the drawing:
// a small first pass finds its bounding box, a second pass renders just big enough that the
// box fills `maxSide`, then we cut it out with a thin margin.
import sharp from "sharp";
import { normaliseSvgRoot } from "./normalize-svg.ts";

export interface RenderOptions {
  maxSide: number;
  quality: number;
}

export interface Rendered {
  webp: Buffer;
  width: number;
  height: number;
}

const PROBE_SIDE = 256;
const MAX_RENDER_SIDE = 4096;
const MARGIN = 0.04;

export async function renderSvgToWebp(svg: string, opts: RenderOptions): Promise<Rendered> {
  const probe = await rasterise(svg, PROBE_SIDE);
  const trimmed = await sharp(probe.png)
    .trim({ background: "#ffffff", threshold: 12 })
    .toBuffer({ resolveWithObject: true })
    .catch(() => null); // sharp refuses to trim an image that is all background
  if (!trimmed || (await isBlank(probe.png))) throw new Error("render is blank");
  const box = {
    x: -(trimmed.info.trimOffsetLeft ?? 0) / probe.width,
    y: -(trimmed.info.trimOffsetTop ?? 0) / probe.height,
    w: trimmed.info.width / probe.width,
    h: trimmed.info.height / probe.height,
  };
  // Grow the box by a margin (relative to its longer side, in probe pixels), clamped to the page.
  const m = MARGIN * Math.max(box.w * probe.width, box.h * probe.height);
  const x0 = Math.max(0, box.x - m / probe.width);
  const y0 = Math.max(0, box.y - m / probe.height);
  const x1 = Math.min(1, box.x + box.w + m / probe.width);
  const y1 = Math.min(1, box.y + box.h + m / probe.height);

  const boxLongInProbe = Math.max((x1 - x0) * probe.width, (y1 - y0) * probe.height);
  const side = Math.min(MAX_RENDER_SIDE, Math.ceil((PROBE_SIDE * opts.maxSide) / boxLongInProbe));
  const full = await rasterise(svg, side);
  const left = Math.floor(x0 * full.width);
  const top = Math.floor(y0 * full.height);
  const width = Math.max(1, Math.min(full.width - left, Math.ceil((x1 - x0) * full.width)));
  const height = Math.max(1, Math.min(full.height - top, Math.ceil((y1 - y0) * full.height)));
  const { data, info } = await sharp(full.png)
    .extract({ left, top, width, height })
    .resize(opts.maxSide, opts.maxSide, { fit: "inside" })
    .webp({ quality: opts.quality, effort: 4 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}

async function rasterise(svg: string, maxSide: number): Promise<{ png: Buffer; width: number; height: number }> {
  const norm = normaliseSvgRoot(svg, maxSide);
  // density 96 keeps leftover physical units inside the drawing consistent with our px conversion.
  const { data, info } = await sharp(Buffer.from(norm.svg), { density: 96, limitInputPixels: 1e8 })
    .flatten({ background: "#ffffff" })
    .png({ compressionLevel: 0 })
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

async function isBlank(png: Buffer): Promise<boolean> {
  const stats = await sharp(png).stats();
  return stats.channels.every((c) => c.min >= 250);
}
