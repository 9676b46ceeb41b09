import { component$ } from "@builder.io/qwik";

interface Props {
  value?: string;
  id: string;
  testid?: string;
}

/** A plain GET form to /search: works without JavaScript. */
export const SearchForm = component$<Props>(({ value, id, testid = "search-input" }) => {
  return (
    <form role="search" method="get" action="/search" class="search-form">
      <label for={id} class="visually-hidden">
        Search art
      </label>
      <input
        id={id}
        type="search"
        name="q"
        value={value ?? ""}
        placeholder="Search art, e.g. flowers"
        maxLength={200}
        autocomplete="off"
        enterKeyHint="search"
        data-testid={testid}
      />
      <button type="submit">Search</button>
    </form>
  );
});
