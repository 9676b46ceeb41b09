// The generator writes real, deterministic files: ONNX that decodes as a ModelProto, and the committed
// fixture in test/fixtures/models/tiny-clip is exactly what the generator writes today.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeModel } from "./onnx-proto.ts";
import { writeTinyClip } from "./tiny-clip.ts";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/models/tiny-clip/", import.meta.url));
let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "tiny-clip-gen-"));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length).replace(/^\/+/, ""))
    .sort();
}

test("same seed → byte-identical files; another seed → other weights", async () => {
  const a = await writeTinyClip(join(tmp, "a"), { seed: 7 });
  await writeTinyClip(join(tmp, "b"), { seed: 7 });
  await writeTinyClip(join(tmp, "c"), { seed: 8 });
  for (const f of a.files) {
    assert.deepEqual(await readFile(join(tmp, "b", f)), await readFile(join(tmp, "a", f)), f);
  }
  assert.notDeepEqual(await readFile(join(tmp, "c", "onnx/vision_model.onnx")), await readFile(join(tmp, "a", "onnx/vision_model.onnx")));
  assert.deepEqual(await readFile(join(tmp, "c", "tokenizer.json")), await readFile(join(tmp, "a", "tokenizer.json")));
});

test("the ONNX files are ModelProtos with the CLIP tower inputs and outputs", async () => {
  const info = await writeTinyClip(join(tmp, "d"));
  const vision = decodeModel(await readFile(join(info.dir, "onnx/vision_model.onnx")));
  assert.equal(vision.ir_version, 8);
  assert.deepEqual(vision.opset_import, [{ domain: "", version: 17 }]);
  assert.deepEqual(vision.graph.input.map((i) => i.name), ["pixel_values"]);
  assert.deepEqual(vision.graph.output.map((o) => o.name), ["image_embeds"]);
  const text = decodeModel(await readFile(join(info.dir, "onnx/text_model.onnx")));
  assert.deepEqual(text.graph.input.map((i) => i.name), ["input_ids", "attention_mask"]);
  assert.deepEqual(text.graph.output.map((o) => o.name), ["text_embeds"]);
  const emb = text.graph.initializer.find((t) => t.name === "token_embedding.weight");
  assert.equal(emb?.dims[0], info.vocabSize);
  const config = JSON.parse(await readFile(join(info.dir, "config.json"), "utf8"));
  assert.equal(config.model_type, "clip");
  assert.equal(config.projection_dim, info.projectionDim);
  const tok = JSON.parse(await readFile(join(info.dir, "tokenizer.json"), "utf8"));
  assert.equal(Object.keys(tok.model.vocab).length, info.vocabSize);
});

test("the committed fixture is the generator's current output (regenerate: npx tsx scripts/model/tiny-clip.ts test/fixtures/models/tiny-clip)", async () => {
  const fresh = await writeTinyClip(join(tmp, "fixture"));
  assert.deepEqual(await listFiles(FIXTURE), [...fresh.files].sort());
  for (const f of fresh.files) assert.deepEqual(await readFile(join(FIXTURE, f)), await readFile(join(fresh.dir, f)), f);
});
