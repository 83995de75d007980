/** "Your organization's data": the roster download, how long removed learners are kept, and how data is erased. */
export interface DataPageProps {
  retentionDays: number;
  /** Learners a sync removed, still kept until their retention period ends. */
  removedLearners: number;
}

export function DataPage(props: DataPageProps) {
  return (
    <section>
      <h1>Your organization's data</h1>

      <h2>Download your roster</h2>
      <p>
        One zip file with your schools, terms, classes, teachers and learners (including deactivated learners) and who is in which class, in the OneRoster 1.1
        format that school systems and learning platforms read. It holds children's personal details: keep it somewhere safe and delete it when you no longer
        need it.
      </p>
      {/* A form, so the download is a real button (a link dressed as one tells screen readers the wrong thing). */}
      <form method="get" action="/settings/data/roster.zip">
        <button type="submit">Download the roster</button>
      </form>

      <h2>Removed learners</h2>
      <p>
        A learner that a sync removes is kept for {props.retentionDays} days, so that a mistake can still be undone, and is then deleted for good with their
        class places and the personal details in the sync history. You can change the number of days under <a href="/settings/sync">Roster sync settings</a>{" "}
        (retention period).
      </p>
      <p>
        {props.removedLearners === 0
          ? "No removed learners are waiting to be deleted."
          : `${props.removedLearners} removed ${props.removedLearners === 1 ? "learner is" : "learners are"} waiting to be deleted.`}
      </p>

      <h2>Erasing a learner on request</h2>
      <p>
        When a parent or the school asks for a child's data to be erased, open the child's page under <a href="/learners">Learners</a> and choose "Erase this
        learner". Remove them from your school's own system as well, or the next sync adds them again.
      </p>

      <h2>Closing your account</h2>
      <p>To erase your whole organization and everything Rollcall holds for it, ask your vendor.</p>
    </section>
  );
}
