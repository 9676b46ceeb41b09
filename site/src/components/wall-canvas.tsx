// A wall drawn to scale: every work at its real print size (plus its frame) in a box whose aspect
// ratio is the wall's, with centimetre rulers along the top and left. Positions are centimetres
// from the wall's top-left corner, laid out in percentages so the drawing scales with the screen.
import { component$ } from "@builder.io/qwik";
import type { Wall } from "../lib/contract.ts";
import { frameOf } from "../lib/frames.ts";
import { imgAttrs } from "../lib/images.ts";

/** Frame moulding drawn around each print, in cm. */
export const FRAME_CM = 2.5;

/** Where a new work goes: right of the works already hung (10 cm apart), at about eye height. */
export function nextFreeSpot(wall: Wall, widthCm: number): { xCm: number; yCm: number } {
  const right = Math.max(10, ...wall.items.map((i) => i.x + i.widthCm + 2 * FRAME_CM + 10));
  const fits = right + widthCm + 2 * FRAME_CM <= wall.widthCm;
  return { xCm: fits ? right : 10, yCm: fits ? Math.min(60, Math.max(0, wall.heightCm - 100)) : Math.min(wall.heightCm - 10, 150) };
}

function ticks(lengthCm: number): number[] {
  const out: number[] = [];
  for (let cm = 0; cm <= lengthCm; cm += 10) out.push(cm);
  return out;
}

export const WallCanvas = component$<{ wall: Wall; editable: boolean }>(({ wall, editable }) => {
  const W = wall.widthCm;
  const H = wall.heightCm;
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  return (
    <div class="wall-wrap" style={{ maxWidth: `calc(70vh * ${(W / H).toFixed(4)} + 2rem)` }} data-testid="wall-canvas" data-wall-width-cm={W} data-wall-height-cm={H}>
      <div class="ruler ruler-x" aria-hidden="true">
        {ticks(W).map((cm) => (
          <span key={cm} class={cm % 50 === 0 ? "tick major" : "tick"} style={{ left: pct(cm, W) }}>
            {cm % 50 === 0 ? cm : ""}
          </span>
        ))}
      </div>
      <div class="ruler ruler-y" aria-hidden="true">
        {ticks(H).map((cm) => (
          <span key={cm} class={cm % 50 === 0 ? "tick major" : "tick"} style={{ top: pct(cm, H) }}>
            {cm % 50 === 0 ? cm : ""}
          </span>
        ))}
      </div>
      <div
        class="wall"
        style={{ aspectRatio: `${W} / ${H}` }}
        role="img"
        aria-label={`${wall.name}: a ${W} × ${H} cm wall with ${wall.items.length} ${wall.items.length === 1 ? "work" : "works"}`}
        data-wall-id={wall.id}
      >
        {wall.items.map((it) => {
          const w = it.widthCm + 2 * FRAME_CM;
          const h = it.heightCm + 2 * FRAME_CM;
          const img = it.art ? imgAttrs(it.art.image) : null;
          return (
            <div
              key={it.id}
              class={editable ? "wall-item draggable" : "wall-item"}
              data-testid="wall-item"
              data-item-id={it.id}
              data-x={it.x}
              data-y={it.y}
              data-w={w}
              data-h={h}
              style={{
                left: pct(it.x, W),
                top: pct(it.y, H),
                width: pct(w, W),
                height: pct(h, H),
                borderWidth: `${((FRAME_CM / W) * 100).toFixed(3)}cqw`,
                borderColor: frameOf(it.frame).color,
              }}
            >
              {img && img.src ? (
                <img src={img.src} srcset={img.srcset} sizes="20vw" width={img.width} height={img.height} alt={it.art!.title} loading="lazy" decoding="async" draggable={false} />
              ) : (
                <span class="no-image">Work {it.artId}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
});

// Drag to move, without Qwik's runtime: pointer events move the frame in percentages, and on drop
// the item's own "Move" form (x/y in cm) is filled and posted in the background, exactly as the
// no-JS form would be. Arrow keys on a focused frame nudge it by 5 cm.
export const WALL_DRAG_SCRIPT = `(()=>{const wall=document.querySelector(".wall[data-wall-id]");if(!wall)return;const W=+wall.closest("[data-wall-width-cm]").dataset.wallWidthCm,H=+wall.closest("[data-wall-width-cm]").dataset.wallHeightCm;
const save=(el)=>{const f=document.querySelector('form[data-move="'+el.dataset.itemId+'"]');if(!f)return;f.x.value=Math.round(+el.dataset.x);f.y.value=Math.round(+el.dataset.y);const s=document.getElementById("wall-save");if(s)s.textContent="Saving…";fetch(f.action,{method:"POST",body:new FormData(f),credentials:"same-origin"}).then(r=>{if(s)s.textContent=r.ok?"Position saved.":"Could not save the position."}).catch(()=>{if(s)s.textContent="Could not save the position."})};
const place=(el,x,y)=>{x=Math.max(0,Math.min(W-+el.dataset.w,x));y=Math.max(0,Math.min(H-+el.dataset.h,y));el.dataset.x=x;el.dataset.y=y;el.style.left=(x/W*100)+"%";el.style.top=(y/H*100)+"%"};
wall.querySelectorAll(".draggable").forEach(el=>{el.tabIndex=0;el.setAttribute("aria-roledescription","movable work");el.setAttribute("aria-label",(el.querySelector("img")||{}).alt+": use arrow keys to move");
el.addEventListener("pointerdown",e=>{e.preventDefault();el.setPointerCapture(e.pointerId);const r=wall.getBoundingClientRect(),k=W/r.width,sx=e.clientX,sy=e.clientY,ox=+el.dataset.x,oy=+el.dataset.y;el.classList.add("dragging");
const mv=ev=>place(el,ox+(ev.clientX-sx)*k,oy+(ev.clientY-sy)*k);const up=()=>{el.classList.remove("dragging");el.removeEventListener("pointermove",mv);el.removeEventListener("pointerup",up);el.removeEventListener("pointercancel",up);if(+el.dataset.x!==ox||+el.dataset.y!==oy)save(el)};
el.addEventListener("pointermove",mv);el.addEventListener("pointerup",up);el.addEventListener("pointercancel",up)});
el.addEventListener("keydown",e=>{const d={ArrowLeft:[-5,0],ArrowRight:[5,0],ArrowUp:[0,-5],ArrowDown:[0,5]}[e.key];if(!d)return;e.preventDefault();place(el,+el.dataset.x+d[0],+el.dataset.y+d[1]);clearTimeout(el._t);el._t=setTimeout(()=>save(el),400)})})})()`;
