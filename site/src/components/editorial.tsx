import { component$ } from "@builder.io/qwik";
import type { Post } from "../lib/content.ts";

/** A Markdown page from content/ (trusted, escaped by the renderer). */
export const Editorial = component$<{ post: Post; byline?: boolean }>(({ post, byline }) => {
  return (
    <article class="prose" data-testid="editorial">
      <h1>{post.title}</h1>
      {byline && (post.author || post.date) && (
        <p class="muted">
          {post.author}
          {post.author && post.date && " · "}
          {post.date && <time dateTime={post.date}>{post.date}</time>}
        </p>
      )}
      <div dangerouslySetInnerHTML={post.html} />
    </article>
  );
});
