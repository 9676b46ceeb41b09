/// <reference types="vite/client" />
// Editorial Markdown from content/ (repo root), bundled at build time: no file system at run time,
// so the same pages render on Node, Deno and workerd.
import { renderMarkdown, type MarkdownDoc } from "./markdown.ts";

const pageFiles = import.meta.glob("../../../content/pages/*.md", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const blogFiles = import.meta.glob("../../../content/blog/*.md", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const slugOf = (path: string) => path.slice(path.lastIndexOf("/") + 1).replace(/\.md$/, "");

export interface Post extends MarkdownDoc {
  slug: string;
  title: string;
  description: string;
  date: string;
  author: string;
  tags: string[];
}

function toPost(path: string, source: string): Post {
  const doc = renderMarkdown(source);
  return {
    ...doc,
    slug: slugOf(path),
    title: doc.meta.title ?? slugOf(path),
    description: doc.meta.description ?? "",
    date: doc.meta.date ?? "",
    author: doc.meta.author ?? "",
    tags: (doc.meta.tags ?? "").split(",").map((t) => t.trim()).filter(Boolean),
  };
}

const pages = new Map(Object.entries(pageFiles).map(([p, s]) => [slugOf(p), toPost(p, s)]));
const posts = Object.entries(blogFiles)
  .map(([p, s]) => toPost(p, s))
  .sort((a, b) => b.date.localeCompare(a.date));

export const getPage = (slug: string): Post | null => pages.get(slug) ?? null;
export const listPosts = (): Post[] => posts;
export const getPost = (slug: string): Post | null => posts.find((p) => p.slug === slug) ?? null;
