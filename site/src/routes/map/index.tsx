// The whole collection laid out by look (the batch's UMAP coordinates): similar works sit together.
// An SVG of links: pan and zoom with the buttons (plain links, the view lives in the URL), or with
// the mouse wheel, drag and pinch when JavaScript runs; click a dot to open the work.
import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import { Pending } from "../../components/pending.tsx";
import { apiGet, apiPath, isMissingEndpoint, type ApiResult } from "../../lib/api.ts";
import type { MapPoint, MapResponse } from "../../../../common/api-reads.ts";
import { ENDPOINTS } from "../../lib/contract.ts";

const MAX_PAGES = 20;

export const useMap = routeLoader$(async (ev) => {
  const points: MapPoint[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r: ApiResult<MapResponse> = await apiGet<MapResponse>(ev, apiPath(ENDPOINTS.map, { cursor, limit: 5000 }));
    if (!r.ok) return { pending: isMissingEndpoint(r), message: r.message, points: [] as MapPoint[], cx: 0.5, cy: 0.5, z: 1 };
    points.push(...r.data.items);
    cursor = r.data.next;
    if (!cursor) break;
  }
  const num = (k: string, d: number, lo: number, hi: number) => {
    const v = Number(ev.url.searchParams.get(k));
    return Number.isFinite(v) && ev.url.searchParams.has(k) ? Math.min(hi, Math.max(lo, v)) : d;
  };
  return { pending: false, message: "" as string, points, cx: num("x", 0.5, 0, 1), cy: num("y", 0.5, 0, 1), z: num("z", 1, 1, 32) };
});

const MAP_SCRIPT = `(()=>{const s=document.getElementById("map-svg");if(!s)return;let [x,y,w,h]=s.getAttribute("viewBox").split(" ").map(Number);const set=()=>s.setAttribute("viewBox",[x,y,w,h].join(" "));
s.addEventListener("wheel",e=>{e.preventDefault();const r=s.getBoundingClientRect(),f=e.deltaY<0?0.8:1.25,px=x+(e.clientX-r.left)/r.width*w,py=y+(e.clientY-r.top)/r.height*h;w=Math.min(1.2,Math.max(1/32,w*f));h=w;x=px-(px-x)*w/(w/f*1);y=py-(py-y)*h/(h/f*1);set()},{passive:false});
let d=null;s.addEventListener("pointerdown",e=>{if(e.button!==0)return;d={sx:e.clientX,sy:e.clientY,x,y,moved:false}});s.addEventListener("pointermove",e=>{if(!d)return;const r=s.getBoundingClientRect(),dx=(e.clientX-d.sx)/r.width*w,dy=(e.clientY-d.sy)/r.height*h;if(Math.abs(dx)+Math.abs(dy)>0.002){d.moved=true;s.setPointerCapture(e.pointerId)}x=d.x-dx;y=d.y-dy;set()});
s.addEventListener("pointerup",()=>{const m=d&&d.moved;d=null;if(m){s.addEventListener("click",e=>e.preventDefault(),{once:true,capture:true})}})})()`;

export default component$(() => {
  const data = useMap().value;
  if (data.pending) return <Pending title="Map of the collection" feature="map" />;
  if (data.message) {
    return (
      <section class="notice">
        <h1>Map of the collection</h1>
        <p class="warn">{data.message}</p>
      </section>
    );
  }
  const { points, cx, cy, z } = data;
  // The API's coordinates are in the unit square already.
  const nx = (v: number) => v;
  const ny = (v: number) => v;
  const span = 1.1 / z;
  const vb = [cx - span / 2, cy - span / 2, span, span].map((v) => v.toFixed(4)).join(" ");
  const r = Math.max(0.0015, 0.006 / Math.sqrt(z));
  const href = (x: number, y: number, zz: number) => `/map?${new URLSearchParams({ x: x.toFixed(3), y: y.toFixed(3), z: String(zz) })}`;
  const step = span / 3;
  return (
    <section class="map-page">
      <h1>Map of the collection</h1>
      <p class="muted">
        {points.length} works, placed by how they look: neighbours are similar. Click a dot to open a work.
      </p>
      <nav class="map-controls" aria-label="Map view">
        <a class="button" href={href(cx, cy, Math.min(32, z * 2))} data-testid="map-zoom-in">Zoom in</a>
        <a class="button" href={href(cx, cy, Math.max(1, z / 2))} data-testid="map-zoom-out">Zoom out</a>
        <a class="button" href={href(cx - step, cy, z)}>← West</a>
        <a class="button" href={href(cx + step, cy, z)}>East →</a>
        <a class="button" href={href(cx, cy - step, z)}>↑ North</a>
        <a class="button" href={href(cx, cy + step, z)}>South ↓</a>
        <a href="/map">Reset</a>
      </nav>
      <svg id="map-svg" class="map" viewBox={vb} role="group" aria-label="Collection map" data-testid="map" preserveAspectRatio="xMidYMid meet">
        {points.map((p) => (
          <a key={p.id} href={`/art/${p.id}`} data-testid="map-point">
            <circle cx={nx(p.x).toFixed(4)} cy={ny(p.y).toFixed(4)} r={r.toFixed(4)}>
              <title>{p.title}</title>
            </circle>
          </a>
        ))}
      </svg>
      <script dangerouslySetInnerHTML={MAP_SCRIPT} />
    </section>
  );
});

export const head: DocumentHead = {
  title: "Map of the collection",
  meta: [{ name: "description", content: "Every work in Art Snob on one map, arranged by how they look." }],
};
