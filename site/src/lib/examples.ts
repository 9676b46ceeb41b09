// Example searches offered on the home, empty-search and 404 pages (the corpus is illustration art).
export const EXAMPLE_SEARCHES = ["flowers", "cat", "birds", "landscape", "tree", "abstract"] as const;

export function searchHref(q: string): string {
  return `/search?${new URLSearchParams({ q }).toString()}`;
}
