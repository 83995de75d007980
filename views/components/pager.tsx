/** Previous/next links for a paged list; keeps the other query parameters. */
export function Pager(props: { page: number; pageSize: number; total: number; baseUrl: string; params?: Record<string, string | undefined> }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  const href = (page: number) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(props.params ?? {})) if (value) query.set(key, value);
    query.set("page", String(page));
    return `${props.baseUrl}?${query}`;
  };
  return (
    <nav aria-label="Pages" class="pager">
      <ul>
        <li>{props.page > 1 ? <a href={href(props.page - 1)}>Previous</a> : <span class="muted">Previous</span>}</li>
        <li>
          Page {props.page} of {pages}
        </li>
        <li>{props.page < pages ? <a href={href(props.page + 1)}>Next</a> : <span class="muted">Next</span>}</li>
      </ul>
    </nav>
  );
}

/** Where a keyset-paged list's links go: the keys beside the page shown, or null at either end. */
export interface PageLinks {
  /** The key of the page's first row, when rows come before it (for Previous). */
  previous: string | null;
  /** The key of the page's last row, when rows come after it (for Next). */
  next: string | null;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

/**
 * First, Previous, Next and Last for a list paged by its sort key, and a letter to jump to
 * (the middle of a long list is reached by where it is in the order, not by a page number).
 */
export function KeysetPager(props: { links: PageLinks; baseUrl: string; params: Record<string, string | undefined>; jumpTo: string; from: string }) {
  const href = (extra: Record<string, string>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(props.params)) if (value) query.set(key, value);
    for (const [key, value] of Object.entries(extra)) query.set(key, value);
    const text = query.toString();
    return text ? `${props.baseUrl}?${text}` : props.baseUrl;
  };
  const step = (label: string, target: Record<string, string> | null) => (
    <li>{target ? <a href={href(target)}>{label}</a> : <span class="muted">{label}</span>}</li>
  );
  const { previous, next } = props.links;
  return (
    <nav aria-label="Pages" class="pager">
      <ul>
        {step("First", previous ? {} : null)}
        {step("Previous", previous ? { before: previous } : null)}
        {step("Next", next ? { after: next } : null)}
        {step("Last", next ? { last: "1" } : null)}
      </ul>
      <p>
        {props.jumpTo}:{" "}
        {LETTERS.map((letter) =>
          letter === props.from.toUpperCase() ? (
            <strong aria-current="page">{letter} </strong>
          ) : (
            <>
              <a href={href({ from: letter })}>{letter}</a>{" "}
            </>
          ),
        )}
      </p>
    </nav>
  );
}

/** How many a list has: exact up to a cap, then "More than 1,000" (counting further would read every row on every page). */
export function ListCount(props: { total: { count: number; more: boolean }; one: string; many: string; order: string }) {
  const { count, more } = props.total;
  const noun = count === 1 && !more ? props.one : props.many;
  return (
    <>
      <p>{more ? `More than ${count.toLocaleString("en")} ${noun}` : `${count.toLocaleString("en")} ${noun}`}</p>
      {count > 0 ? (
        <p class="muted">
          {props.order}
          {more ? " Search or filter to narrow the list, or jump to a letter below." : ""}
        </p>
      ) : null}
    </>
  );
}
