import { component$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { Editorial } from "../../components/editorial.tsx";
import { getPage } from "../../lib/content.ts";

const page = getPage("about")!;

export default component$(() => <Editorial post={page} />);

export const head: DocumentHead = { title: page.title, meta: [{ name: "description", content: page.description }] };
