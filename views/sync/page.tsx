import { type StatusPanelProps, StatusPanel } from "./parts.tsx";

export function SyncPage(props: StatusPanelProps & { sourceName: string | null }) {
  return (
    <section>
      <h1>Roster Sync Status</h1>
      <p>
        {props.sourceName ? (
          <>
            Your roster comes from <strong>{props.sourceName}</strong> (<a href="/settings/connection">change</a>).
          </>
        ) : (
          <>
            No roster source is connected yet. <a href="/settings/connection">Connect one</a> first.
          </>
        )}{" "}
        <a href="/sync/history">Import history</a> · <a href="/settings/sync">Sync settings</a>
      </p>
      <StatusPanel {...props} />
    </section>
  );
}
