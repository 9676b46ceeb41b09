import { component$, Slot } from "@builder.io/qwik";
import { EXAMPLE_SEARCHES, searchHref } from "../lib/examples.ts";

interface Props {
  title: string;
  testid: string;
}

/** A friendly message panel (not found, errors, empty results) with ways to keep browsing. */
export const Notice = component$<Props>(({ title, testid }) => {
  return (
    <section class="notice" data-testid={testid}>
      <h1>{title}</h1>
      <Slot />
      <p>
        <a href="/" class="button">
          Browse all art
        </a>
      </p>
      <p class="muted">Or try one of these searches:</p>
      <ul class="chips">
        {EXAMPLE_SEARCHES.map((q) => (
          <li key={q}>
            <a href={searchHref(q)}>{q}</a>
          </li>
        ))}
      </ul>
    </section>
  );
});
