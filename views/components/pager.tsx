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
