import { component$ } from "@builder.io/qwik";
import { activeFilterCount, COLOUR_OPTIONS, ORIENTATION_OPTIONS, SIZE_OPTIONS, type SearchFilters } from "../lib/filters.ts";

/** Filters as a plain GET form: every choice lands in the URL, so results can be shared and bookmarked. */
export const SearchFiltersForm = component$<{ q: string; filters: SearchFilters }>(({ q, filters }) => {
  const n = activeFilterCount(filters);
  return (
    <details class="filters" open={n > 0} data-testid="search-filters">
      <summary>Filters{n > 0 && ` (${n})`}</summary>
      <form method="get" action="/search" class="filters-form">
        <input type="hidden" name="q" value={q} />
        <label>
          Min price
          <input type="number" name="minPrice" min="0" step="1" inputMode="numeric" value={filters.minPrice} data-testid="filter-min-price" />
        </label>
        <label>
          Max price
          <input type="number" name="maxPrice" min="0" step="1" inputMode="numeric" value={filters.maxPrice} data-testid="filter-max-price" />
        </label>
        <label>
          Shape
          <select name="orientation" data-testid="filter-orientation">
            {ORIENTATION_OPTIONS.map(([v, l]) => (
              <option key={v} value={v} selected={filters.orientation === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Size
          <select name="size" data-testid="filter-size">
            {SIZE_OPTIONS.map(([v, l]) => (
              <option key={v} value={v} selected={filters.size === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Colour
          <select name="colour" data-testid="filter-colour">
            {COLOUR_OPTIONS.map(([v, l]) => (
              <option key={v} value={v} selected={filters.colour === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tag
          <input type="text" name="tag" value={filters.tag} maxLength={60} data-testid="filter-tag" />
        </label>
        <label>
          Shop
          <input type="text" name="shop" value={filters.shop} maxLength={60} data-testid="filter-shop" />
        </label>
        <div class="filters-actions">
          <button type="submit" data-testid="filter-apply">
            Apply filters
          </button>
          {n > 0 && <a href={`/search?${new URLSearchParams({ q }).toString()}`}>Clear filters</a>}
        </div>
      </form>
    </details>
  );
});
