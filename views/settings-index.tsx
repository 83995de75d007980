/** The settings landing page: where each group of settings lives. */
export function SettingsIndexPage() {
  return (
    <section>
      <h1>Settings</h1>
      <ul>
        <li>
          <a href="/settings/connection">Roster source</a>: connect Clever, upload a OneRoster file, or connect Wonde.
        </li>
        <li>
          <a href="/settings/sync">Roster Sync Settings</a>: schedule, removal, emails, carryover, class names, default journey and what to sync.
        </li>
        <li>
          <a href="/settings/year-end">Year end</a>: archive a school year that has ended, so returning children keep their history (admins).
        </li>
        <li>
          <a href="/settings/data">Your organization's data</a>: download your roster, how long removed learners are kept, and erasing data (admins).
        </li>
      </ul>
    </section>
  );
}
