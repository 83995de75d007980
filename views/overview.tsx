export interface OverviewProps {
  orgName: string;
  counts: { learners: number; classes: number; educators: number; schools: number };
  licences: { id: string; name: string }[];
  isAdmin: boolean;
  /** Filled in by the sync pages once they exist; the overview links there. */
  connected: boolean;
}

export function OverviewPage(props: OverviewProps) {
  const figures: [string, number][] = [
    ["Learners", props.counts.learners],
    ["Classes", props.counts.classes],
    ["Educators", props.counts.educators],
    ["Schools", props.counts.schools],
  ];
  return (
    <section>
      <h1>{props.orgName}</h1>
      <div class="stats">
        {figures.map(([label, value]) => (
          <article>
            <span class="figure">{value.toLocaleString("en")}</span>
            {label}
          </article>
        ))}
      </div>
      <h2>Licensed products</h2>
      {props.licences.length ? (
        <ul>
          {props.licences.map((licence) => (
            <li>{licence.name}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">No products licensed yet. Your vendor adds licences.</p>
      )}
      {props.isAdmin && props.counts.learners === 0 ? (
        <article>
          <h2>Getting started</h2>
          <ol>
            <li>
              {props.connected ? "Your school's system is connected." : <a href="/settings">Connect your school's system (Clever, OneRoster or Wonde).</a>}
            </li>
            <li>
              <a href="/sync">Run your first sync</a>: you see every change before it is applied.
            </li>
            <li>
              <a href="/settings">Choose when syncs run</a> and who hears about them.
            </li>
          </ol>
        </article>
      ) : null}
    </section>
  );
}
