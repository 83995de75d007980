export interface OutboxRow {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  status: string;
  createdAt: Date;
}

export function OutboxPage(props: { rows: OutboxRow[] }) {
  return (
    <section>
      <h1>Development outbox</h1>
      <p class="muted">
        No RESEND_API_KEY is set, so email stays here instead of being sent. This page exists only in embedded mode and only for this machine.
      </p>
      {props.rows.length === 0 ? (
        <p>No email yet.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td>{row.createdAt.toISOString().replace("T", " ").slice(0, 16)}</td>
                  <td>{row.toAddress}</td>
                  <td>
                    <a href={`/dev/outbox/${row.id}`}>{row.subject}</a>
                  </td>
                  <td>{row.kind}</td>
                  <td>{row.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function OutboxEmailPage(props: { email: OutboxRow & { textBody: string } }) {
  return (
    <section>
      <p>
        <a href="/dev/outbox">All email</a>
      </p>
      <h1>{props.email.subject}</h1>
      <p>
        To {props.email.toAddress}, {props.email.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC.{" "}
        <a href={`/dev/outbox/${props.email.id}/html`}>View as HTML</a>
      </p>
      <pre class="email-text">{props.email.textBody}</pre>
    </section>
  );
}
