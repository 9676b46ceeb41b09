import { component$, Slot } from "@builder.io/qwik";

interface Props {
  title: string;
  feature: string;
}

/** A clear state for a feature whose API is not available on this server yet. */
export const Pending = component$<Props>(({ title, feature }) => {
  return (
    <section class="notice" data-testid="feature-pending" data-feature={feature}>
      <h1>{title}</h1>
      <p>
        This part of Art Snob is not available on this server yet. Everything else works: you can{" "}
        <a href="/">browse</a> and <a href="/search">search</a> the whole collection.
      </p>
      <Slot />
    </section>
  );
});
