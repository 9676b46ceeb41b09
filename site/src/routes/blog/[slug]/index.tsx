import { component$ } from "@builder.io/qwik";
import { routeLoader$, type DocumentHead } from "@builder.io/qwik-city";
import { Editorial } from "../../../components/editorial.tsx";
import { Notice } from "../../../components/notice.tsx";
import { getPost } from "../../../lib/content.ts";

export const usePost = routeLoader$((ev) => {
  const post = getPost(ev.params.slug ?? "");
  if (!post) ev.status(404);
  return post;
});

export default component$(() => {
  const post = usePost().value;
  if (!post) {
    return (
      <Notice title="No such article" testid="not-found">
        <p>
          See all articles in the <a href="/blog">journal</a>.
        </p>
      </Notice>
    );
  }
  return (
    <>
      <Editorial post={post} byline />
      <p>
        <a href="/blog">← All articles</a>
      </p>
    </>
  );
});

export const head: DocumentHead = ({ resolveValue, url }) => {
  const post = resolveValue(usePost);
  if (!post) return { title: "Article not found", meta: [{ name: "robots", content: "noindex" }] };
  return {
    title: post.title,
    meta: [
      { name: "description", content: post.description },
      { property: "og:type", content: "article" },
      { property: "og:description", content: post.description },
      { property: "og:url", content: `${url.origin}/blog/${post.slug}` },
    ],
  };
};
