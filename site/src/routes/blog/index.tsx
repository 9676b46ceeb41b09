import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { listPosts } from "../../lib/content.ts";

export default component$(() => {
  const posts = listPosts();
  return (
    <section class="prose">
      <h1>Journal</h1>
      <p class="muted">Notes on choosing, hanging and discovering art.</p>
      <ul class="post-list" data-testid="post-list">
        {posts.map((p) => (
          <li key={p.slug}>
            <h2>
              <a href={`/blog/${p.slug}`}>{p.title}</a>
            </h2>
            <p class="muted small">
              {p.date && <time dateTime={p.date}>{p.date}</time>}
              {p.tags.length > 0 && <> · {p.tags.join(", ")}</>}
            </p>
            <p>{p.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
});

export const head: DocumentHead = {
  title: "Journal",
  meta: [{ name: "description", content: "Art Snob's journal: choosing, hanging and discovering art." }],
};
