import { SelectField, TextField } from "../components/forms.tsx";
import { Pager } from "../components/pager.tsx";
import { EraseLearnerLink } from "../lifecycle/erase-learner.tsx";

export interface LearnerRow {
  id: string;
  givenName: string;
  familyName: string;
  preferredGivenName: string | null;
  yearGroup: string | null;
  school: string | null;
  linked: boolean;
}

export function LearnersPage(props: { rows: LearnerRow[]; total: number; page: number; pageSize: number; search: string; status: string }) {
  return (
    <section>
      <h1>Learners</h1>
      <search>
        <form method="get" action="/learners" class="grid">
          <div>
            <TextField name="q" type="search" label="Search by name or UPN" value={props.search} />
          </div>
          <div>
            <SelectField
              name="status"
              label="Status"
              value={props.status}
              options={["active", "inactive", "removed", "archived"].map((status) => ({ value: status, label: status[0]!.toUpperCase() + status.slice(1) }))}
            />
          </div>
          <div>
            <button type="submit">Show</button>
          </div>
        </form>
      </search>
      <p>
        {props.total} {props.total === 1 ? "learner" : "learners"}
      </p>
      {props.rows.length === 0 ? (
        <p class="muted">
          No learners here yet. Connect your school's system under <a href="/settings">Settings</a> and run a sync from the <a href="/sync">Sync</a> page.
        </p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Year group</th>
                <th scope="col">School</th>
                <th scope="col">Linked to source</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td>
                    <a href={`/learners/${row.id}`}>
                      {row.familyName}, {row.preferredGivenName ?? row.givenName}
                    </a>
                  </td>
                  <td>{row.yearGroup ?? "None"}</td>
                  <td>{row.school ?? ""}</td>
                  <td>
                    {row.linked ? (
                      <span title="Linked to the source">
                        <span aria-hidden="true">🔗</span> Linked
                      </span>
                    ) : (
                      <span class="muted">Not linked</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} baseUrl="/learners" params={{ q: props.search, status: props.status }} />
    </section>
  );
}

export interface LearnerDetail {
  id: string;
  givenName: string;
  familyName: string;
  middleName: string | null;
  preferredGivenName: string | null;
  preferredFamilyName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
  email: string | null;
  emailVerifiedAt: Date | null;
  upn: string | null;
  stateId: string | null;
  studentNumber: string | null;
  yearGroup: string | null;
  school: string | null;
  status: string;
  hasAccess: boolean;
  enabledInSource: boolean;
  gradePlacement: string | null;
  journeyProductId: string | null;
  classes: { id: string; name: string; kind: string }[];
  links: { source: string; sourceId: string; linkedAt: Date }[];
}

export function LearnerPage(props: { learner: LearnerDetail; canErase?: boolean }) {
  const learner = props.learner;
  const rows: [string, string | null][] = [
    ["Legal name", [learner.givenName, learner.middleName, learner.familyName].filter(Boolean).join(" ")],
    ["Preferred name", [learner.preferredGivenName, learner.preferredFamilyName].filter(Boolean).join(" ") || null],
    ["Date of birth", learner.dateOfBirth],
    ["Gender", learner.gender],
    ["Year group", learner.yearGroup],
    ["School", learner.school],
    ["Email", learner.email ? `${learner.email}${learner.emailVerifiedAt ? " (verified)" : ""}` : null],
    ["UPN", learner.upn],
    ["State id", learner.stateId],
    ["Student number", learner.studentNumber],
    ["Grade placement", learner.gradePlacement],
    ["Journey", learner.journeyProductId],
    ["Status", learner.status],
    [
      "Access to products",
      learner.hasAccess ? "Yes" : learner.enabledInSource ? "No (needs a class and a year group)" : "No (the account is switched off in the school's system)",
    ],
  ];
  return (
    <section>
      <p>
        <a href="/learners">All learners</a>
      </p>
      <h1>
        {learner.preferredGivenName ?? learner.givenName} {learner.familyName}
      </h1>
      <table>
        <tbody>
          {rows.map(([label, value]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>{value ?? <span class="muted">Not shared</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Classes</h2>
      {learner.classes.length ? (
        <ul>
          {learner.classes.map((item) => (
            <li>
              <a href={`/classes/${item.id}`}>{item.name}</a>{" "}
              <span class="muted">({item.kind === "registration_group" ? "registration group" : "subject class"})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Not in any class.</p>
      )}
      <h2>Links</h2>
      {learner.links.length ? (
        <ul>
          {learner.links.map((link) => (
            <li>
              🔗 {link.source} record <code>{link.sourceId}</code>, linked {link.linkedAt.toISOString().slice(0, 10)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Not linked to any source: a sync will neither update nor remove this learner.</p>
      )}
      {props.canErase ? <EraseLearnerLink learnerId={learner.id} /> : null}
    </section>
  );
}
