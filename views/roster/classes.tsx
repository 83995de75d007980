import { KeysetPager, ListCount, type PageLinks } from "../components/pager.tsx";
import { SelectField, TextField } from "../components/forms.tsx";
import type { RosterChoices } from "../../src/db/queries/learner-selection.ts";
import { Notice } from "../layout.tsx";
import { CLASS_KIND_WORDS, gradeWords, type Speech, wordsFor } from "../../src/roster/labels.ts";

const kindLabel = (kind: string) => wordsFor(CLASS_KIND_WORDS, kind);

export interface ClassRow {
  id: string;
  name: string;
  nameOverride: string | null;
  kind: string;
  school: string | null;
  gradeCodes: string[];
  learners: number;
}

export interface ClassesPageProps {
  rows: ClassRow[];
  /** Counted up to a cap: `more` says there are more than `count`. */
  total: { count: number; more: boolean };
  links: PageLinks;
  /** The letters the page was jumped to, if it was. */
  from: string;
  /** The list's query: every filter is "" for any. */
  query: { q: string; school: string; grade: string };
  choices: RosterChoices;
  speech: Speech;
  hasAny: boolean;
}

export function ClassesPage(props: ClassesPageProps) {
  const { query, choices } = props;
  const any = { value: "", label: "Any" };
  return (
    <section>
      <h1>Classes</h1>
      <search>
        <form method="get" action="/classes" class="grid">
          <div>
            <TextField name="q" type="search" label="Search by class name" value={query.q} />
          </div>
          <div>
            <SelectField
              name="school"
              label="School"
              value={query.school}
              options={[any, ...choices.schools.map((school) => ({ value: school.id, label: school.name }))]}
            />
          </div>
          <div>
            <SelectField
              name="grade"
              label={props.speech === "gb" ? "Year group" : "Grade"}
              value={query.grade}
              options={[any, ...choices.yearGroupCodes.map((code) => ({ value: code, label: gradeWords(code, props.speech) }))]}
            />
          </div>
          <div>
            <button type="submit">Show</button> <a href="/classes">Clear filters</a>
          </div>
        </form>
      </search>
      <ListCount total={props.total} one="class" many="classes" order="Listed by name, 50 to a page." />
      {props.rows.length === 0 ? (
        props.hasAny ? (
          <p>
            No classes match these filters. <a href="/classes">Clear the filters</a> to see them all.
          </p>
        ) : (
          <p class="muted">No classes yet. They arrive with your first sync.</p>
        )
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">School</th>
                <th scope="col">Grades</th>
                <th scope="col" class="number">
                  Learners
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td>
                    <a href={`/classes/${row.id}`}>{row.nameOverride ?? row.name}</a>
                  </td>
                  <td>{kindLabel(row.kind)}</td>
                  <td>{row.school ?? ""}</td>
                  <td>{row.gradeCodes.map((code) => gradeWords(code, props.speech)).join(", ")}</td>
                  <td class="number">{row.learners}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.total.count > 0 ? (
        <KeysetPager links={props.links} baseUrl="/classes" params={{ ...query }} jumpTo="Go to the class names from" from={props.from} />
      ) : null}
    </section>
  );
}

export interface ClassDetail {
  id: string;
  name: string;
  nameOverride: string | null;
  kind: string;
  subject: string | null;
  school: string | null;
  gradeCodes: string[];
  members: { id: string; givenName: string; familyName: string; preferredGivenName: string | null }[];
  teachers: { id: string; givenName: string; familyName: string; title: string | null }[];
}

/** Renaming, for admins and the class's teachers; with overrides off, the reason instead of a form that would be undone. */
function RenameClass(props: { found: ClassDetail; rename: { allowed: boolean; whyNot: string }; error?: string | undefined }) {
  if (!props.rename.allowed) return <p class="muted">{props.rename.whyNot}</p>;
  return (
    <form method="post" action={`/classes/${props.found.id}/name`}>
      <TextField
        name="name"
        label="Class name in Rollcall"
        value={props.found.nameOverride ?? props.found.name}
        error={props.error}
        hint={`Called “${props.found.name}” in your school's system. Syncs keep the name you give it here; clear the field to follow the school's name again.`}
      />
      <button type="submit">Rename class</button>
    </form>
  );
}

export interface ClassPageProps {
  found: ClassDetail;
  /** Who may rename, and whether the organization keeps class names given here. */
  rename: { allowed: boolean; whyNot: string } | null;
  notice?: string | undefined;
  error?: string | undefined;
}

export function ClassPage(props: ClassPageProps) {
  const found = props.found;
  return (
    <section>
      <p>
        <a href="/classes">All classes</a>
      </p>
      <h1>{found.nameOverride ?? found.name}</h1>
      {found.nameOverride ? <p class="muted">Called “{found.name}” in the school's system.</p> : null}
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error && !props.rename?.allowed ? <Notice kind="error">{props.error}</Notice> : null}
      {props.rename ? <RenameClass found={found} rename={props.rename} error={props.error} /> : null}
      <p>
        {kindLabel(found.kind)}
        {found.subject ? `, ${found.subject}` : ""}
        {found.school ? ` at ${found.school}` : ""}
        {found.gradeCodes.length ? `; ${found.gradeCodes.map((code) => gradeWords(code)).join(", ")}` : ""}
      </p>
      <h2>Teachers</h2>
      {found.teachers.length ? (
        <ul>
          {found.teachers.map((teacher) => (
            <li>{[teacher.title, teacher.givenName, teacher.familyName].filter(Boolean).join(" ")}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">No teacher assigned.</p>
      )}
      <h2>Learners ({found.members.length})</h2>
      {found.members.length ? (
        <ul>
          {found.members.map((member) => (
            <li>
              <a href={`/learners/${member.id}`}>
                {member.preferredGivenName ?? member.givenName} {member.familyName}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No learners in this class.</p>
      )}
    </section>
  );
}
