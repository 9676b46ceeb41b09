// Unit tests for the corpus generator's pure parts: RDF metadata, text repair, curation helpers and
// the SVG root normalisation (the pt/mm/no-viewBox pitfall from data.md), plus a real sharp render.
import assert from "node:assert/strict";
import { test } from "node:test";
import sharp from "sharp";
import { cleanText } from "./clean-text.ts";
import { cleanArtist, cleanTitle, titleFromFileName } from "./curate.ts";
import { lengthToPx, normaliseSvgRoot } from "./normalize-svg.ts";
import { renderSvgToWebp } from "./render.ts";
import { mulberry32 } from "./select.ts";
import { parseSvgMetadata } from "./svg-metadata.ts";

const RDF = `<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt"><metadata>
<rdf:RDF xmlns:cc="http://web.resource.org/cc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<cc:Work rdf:about="">
  <dc:title>Croissant (B &amp;amp; W)</dc:title>
  <dc:description>A <![CDATA[buttery]]> croissant</dc:description>
  <dc:subject><rdf:Bag><rdf:li>food</rdf:li><rdf:li>hash</rdf:li><rdf:li></rdf:li></rdf:Bag></dc:subject>
  <dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent></dc:publisher>
  <dc:creator><cc:Agent><dc:title>Gerald G.</dc:title></cc:Agent></dc:creator>
  <dc:date>2005-06-21T10:00:00</dc:date>
  <cc:license rdf:resource="http://web.resource.org/cc/PublicDomain"/>
</cc:Work></rdf:RDF></metadata><rect x="10" y="10" width="80" height="30" fill="#c00"/></svg>`;

test("parses the RDF block: own title (not the publisher's), tags, creator, date, licence", () => {
  const m = parseSvgMetadata(RDF);
  assert.equal(m.title, "Croissant (B &amp; W)"); // XML-decoded once; the source escaped twice
  assert.equal(m.description, "A buttery croissant");
  assert.deepEqual(m.tags, ["food", "hash"]);
  assert.equal(m.creator, "Gerald G.");
  assert.equal(m.date, "2005-06-21T10:00:00");
  assert.equal(m.license, "http://web.resource.org/cc/PublicDomain");
  assert.deepEqual(parseSvgMetadata("<svg/>").tags, []);
});

test("repairs double escaping and mojibake", () => {
  assert.equal(cleanText("Croissant (B &amp; W)"), "Croissant (B & W)");
  assert.equal(cleanText("Gelato all&#39;italiana"), "Gelato all'italiana");
  assert.equal(cleanText("L&Atilde;&copy;zard"), "Lézard");
  assert.equal(cleanText("Baden-W&uuml;rttemberg"), "Baden-Württemberg");
  assert.equal(cleanText("Aragón"), "Aragón");
});

test("titles and artists: junk replaced, file-name titles strip creator and counter", () => {
  assert.equal(cleanTitle("Clipart by Nicu Buculei - dog_head"), "Dog head");
  assert.equal(cleanTitle("drawing.svg"), null);
  assert.equal(cleanTitle(""), null);
  assert.equal(cleanTitle("Rubik's Cube"), "Rubik's Cube");
  assert.equal(titleFromFileName("2_dead_frogs_lumen_desig_01.svg", "Lumen Design Studio"), "2 dead frogs");
  assert.equal(cleanArtist("Jean-Victor Balin (balin_j@epita.fr)"), "Jean-Victor Balin");
  assert.equal(cleanArtist("grp21@free.fr"), "grp21");
  assert.equal(cleanArtist("c..."), null);
});

test("SVG root normalisation: physical units to px at 96 dpi, viewBox added, target size set", () => {
  assert.equal(lengthToPx("72pt"), 96);
  assert.ok(Math.abs(lengthToPx("210mm")! - 793.7) < 0.1);
  assert.equal(lengthToPx("100%"), null);
  const n = normaliseSvgRoot(RDF, 512);
  assert.deepEqual([n.width, n.height], [512, 256]);
  assert.match(n.svg, /<svg width="512" height="256" viewBox="0 0 133\.333 66\.667" xmlns=/);
  const vbOnly = normaliseSvgRoot('<svg viewBox="0 0 30 60"><g/></svg>', 100);
  assert.deepEqual([vbOnly.width, vbOnly.height], [50, 100]);
  assert.throws(() => normaliseSvgRoot("<svg><g/></svg>", 100), /neither usable width\/height nor a viewBox/);
  assert.throws(() => normaliseSvgRoot("<html/>", 100), /no <svg> root/);
});

test("render crops to the drawing on white and fits the max side", async () => {
  // A small red square in the corner of an A4 page in mm, no viewBox: the mis-scaling case.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"><rect x="20" y="20" width="100" height="50" fill="#f00"/></svg>`;
  const r = await renderSvgToWebp(svg, { maxSide: 256, quality: 80 });
  assert.equal(Math.max(r.width, r.height), 256);
  // 100×50 drawing plus a 4 % margin (of the long side) all round: (100+8)/(50+8) ≈ 1.86.
  assert.ok(Math.abs(r.width / r.height - 108 / 58) < 0.06, `aspect ${r.width}x${r.height}`);
  const { channels } = await sharp(r.webp).stats();
  assert.ok(channels[0]!.mean > 200 && channels[1]!.mean < 120, "mostly red, on white");
  await assert.rejects(renderSvgToWebp('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', { maxSide: 64, quality: 80 }), /blank/);
});

test("seeded random is deterministic", () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  assert.deepEqual([a(), a(), a()], [b(), b(), b()]);
});
