// Any page path no other route matches: a helpful 404 inside the normal layout (header search included).
import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import { Notice } from "../../components/notice.tsx";

export const useMissingPath = routeLoader$((ev) => {
  ev.status(404);
  return ev.url.pathname;
});

export default component$(() => {
  const path = useMissingPath().value;
  return (
    <Notice title="Page not found" testid="not-found">
      <p>
        There is no page at <code>{path}</code>. It may have moved, or the link may be mistyped.
      </p>
    </Notice>
  );
});

export const head: DocumentHead = {
  title: "Page not found",
  meta: [{ name: "robots", content: "noindex" }],
};
