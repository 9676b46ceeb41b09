// CLIP through transformers.js from a local model directory: image embedder (batch embed stage) and the
// matching text embedder (query encoding). docs/models.md says which models and how to get them.
export { createClipImageEmbedder, type ClipImageEmbedder, type ClipImageEmbedderOptions, type EmbedStats } from "./image-embedder.ts";
export { createClipTextEmbedder, type ClipTextEmbedderOptions } from "./text-embedder.ts";
export { ClipModelError, clipEmbedderId, inspectClipModelDir, type ClipDtype } from "./model-dir.ts";
export { clipSettingsFromEnv, type ClipSettings } from "./settings.ts";
