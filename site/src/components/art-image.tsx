import { component$ } from "@builder.io/qwik";
import type { ImageRef } from "../../../common/domain.ts";
import { imgAttrs } from "../lib/images.ts";

interface Props {
  image: ImageRef;
  alt: string;
  sizes: string;
  /** "eager" for above-the-fold images, "high" also raises fetch priority (the page's main image). */
  load: "lazy" | "eager" | "high";
  testid?: string;
}

/** An artwork image with srcset and reserved dimensions; a labelled placeholder when there is none. */
export const ArtImage = component$<Props>(({ image, alt, sizes, load, testid }) => {
  const img = imgAttrs(image);
  if (!img.src) {
    return (
      <span class="no-image" role="img" aria-label={alt} data-testid={testid}>
        No image yet
      </span>
    );
  }
  return (
    <img
      src={img.src}
      srcset={img.srcset}
      sizes={sizes}
      width={img.width}
      height={img.height}
      alt={alt}
      loading={load === "lazy" ? "lazy" : "eager"}
      fetchPriority={load === "high" ? "high" : undefined}
      decoding="async"
      data-testid={testid}
    />
  );
});
