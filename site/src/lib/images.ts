// <img> attributes from the API's ImageRef: srcset over the bucket's width variants, and width/height
// that keep the box's aspect ratio reserved before the image loads (no layout shift).
import type { ImageRef } from "../../../common/domain.ts";

const DEFAULT_WIDTH = 500;

export interface ImgAttrs {
  src: string;
  srcset: string | undefined;
  width: number;
  height: number;
}

export function imgAttrs(image: ImageRef): ImgAttrs {
  const srcset = image.srcset.length
    ? [...image.srcset].sort((a, b) => a.width - b.width).map((v) => `${v.url} ${v.width}w`).join(", ")
    : undefined;
  // Intrinsic ratio at the largest variant width; a square when the API doesn't know the size.
  const ratio = image.width && image.height ? image.height / image.width : 1;
  return { src: image.url, srcset, width: DEFAULT_WIDTH, height: Math.round(DEFAULT_WIDTH * ratio) };
}

/** URL of the widest variant (the zoom view), or null when the work has no image. */
export function largestImage(image: ImageRef): string | null {
  if (!image.url) return null;
  const widest = [...image.srcset].sort((a, b) => b.width - a.width)[0];
  return widest?.url ?? image.url;
}
