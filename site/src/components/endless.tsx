import { component$ } from "@builder.io/qwik";

// Progressive enhancement for endless lists, without Qwik's runtime: when the "More" link
// (data-endless) scrolls near, fetch that page's HTML and append its cards to the grid. Without JS,
// or if anything fails, the link still works as a normal page link.
const SCRIPT = `(()=>{const io=new IntersectionObserver(async(es)=>{for(const e of es){if(!e.isIntersecting)continue;const a=e.target;io.unobserve(a);try{const r=await fetch(a.href,{credentials:"same-origin"});if(!r.ok)return;const d=new DOMParser().parseFromString(await r.text(),"text/html");const g=document.getElementById(a.dataset.endless),ng=d.getElementById(a.dataset.endless);if(!g||!ng)return;for(const li of [...ng.children])g.append(li);const na=d.querySelector('[data-endless="'+a.dataset.endless+'"]');if(na){a.href=na.href;io.observe(a)}else a.remove()}catch{}}},{rootMargin:"600px"});document.querySelectorAll("[data-endless]").forEach(a=>io.observe(a))})()`;

export const EndlessScript = component$(() => <script dangerouslySetInnerHTML={SCRIPT} />);
