import { SelectField, TextField } from "../components/forms.tsx";
import { LinkedIcon } from "../components/icons.tsx";
import type { RosterChoices } from "../../src/db/queries/learner-selection.ts";
import { KeysetPager, ListCount, type PageLinks } from "../components/pager.tsx";
import { Notice } from "../layout.tsx";
import {
  CLASS_KIND_WORDS,
  GENDER_WORDS,
  gradeWords,
  LEARNER_STATUS_WORDS,
  learnerWords,
  type Speech,
  wordsFor,
  yearGroupWords,
} from "../../src/roster/labels.ts";
import { SOURCE_NAMES as SOURCE_WORDS } from "../../src/roster/sources.ts";
import { EraseLearnerLink } from "../lifecycle/erase-learner.tsx";

export interface LearnerRow {
  id: string;
  givenName: string;
  familyName: string;
  preferredGivenName: string | null;
  yearGroup: string | null;
  yearGroupCode: string | null;
  school: string | null;
  hasAccess: boolean;
  linked: boolean;
}

/** "Grant access": learners who belong to a class and a year group but have no access, and the button that gives it. */
function GrantAccess(props: { waiting: number }) {
  if (!props.waiting) return null;
  return (
    <form method="post" action="/learners/access" class="notice notice-info">
      <p>
        {props.waiting.toLocaleString("en")} synced {props.waiting === 1 ? "learner belongs" : "learners belong"} to a class and a year group but{" "}
        {props.waiting === 1 ? "has" : "have"} no access to your products. Grant access to synced learners who belong to a class and a year group:
      </p>
      <button type="submit">Grant access</button>
    </form>
  );
}

/** The list's query, as the route read it: every filter is "" for any. */
export interface LearnerQuery {
  q: string;
  status: string;
  school: string;
  year: string;
  class: string;
  access: string;
  linked: string;
}

export interface LearnersPageProps {
  rows: LearnerRow[];
  /** Counted up to a cap: `more` says there are more than `count`. */
  total: { count: number; more: boolean };
  links: PageLinks;
  query: LearnerQuery;
  /** The letters the page was jumped to, if it was. */
  from: string;
  choices: RosterChoices;
  speech: Speech;
  /** The organization has learners at all: an empty list then means nothing matches. */
  hasAny: boolean;
  /** Admins only: how many learners "Grant access" would give access to. */
  waitingForAccess: number;
  notice?: string | undefined;
}

const ANY = { value: "", label: "Any" };

function LearnerFilters(props: { query: LearnerQuery; choices: RosterChoices; speech: Speech }) {
  const { query, choices } = props;
  return (
    <search>
      <form method="get" action="/learners">
        <div class="grid">
          <div>
            <TextField name="q" type="search" label="Search by name, username or ID" value={query.q} />
          </div>
          <div>
            <SelectField
              name="status"
              label="Status"
              value={query.status}
              options={["active", "inactive", "removed", "archived"].map((status) => ({ value: status, label: wordsFor(LEARNER_STATUS_WORDS, status) }))}
            />
          </div>
        </div>
        <div class="grid">
          <div>
            <SelectField
              name="school"
              label="School"
              value={query.school}
              options={[ANY, ...choices.schools.map((school) => ({ value: school.id, label: school.name }))]}
            />
          </div>
          <div>
            <SelectField
              name="year"
              label="Year group"
              value={query.year}
              options={[ANY, ...choices.yearGroupCodes.map((code) => ({ value: code, label: gradeWords(code, props.speech) }))]}
            />
          </div>
          <div>
            <SelectField
              name="class"
              label="Class"
              value={query.class}
              options={[ANY, ...choices.classes.map((klass) => ({ value: klass.id, label: klass.name }))]}
              hint={choices.tooManyClasses ? "Too many classes to list: choose a school and Show, then a class." : undefined}
            />
          </div>
          <div>
            <SelectField
              name="access"
              label="Access"
              value={query.access}
              options={[ANY, { value: "yes", label: "Has access" }, { value: "no", label: "No access" }]}
            />
          </div>
          <div>
            <SelectField
              name="linked"
              label="Linked"
              value={query.linked}
              options={[ANY, { value: "yes", label: "Linked to the school's system" }, { value: "no", label: "Not linked" }]}
            />
          </div>
        </div>
        <button type="submit">Show</button> <a href="/learners">Clear filters</a>
      </form>
    </search>
  );
}

export function LearnersPage(props: LearnersPageProps) {
  const { many } = learnerWords(props.speech);
  return (
    <section>
      <h1>{props.speech === "gb" ? "Students" : "Learners"}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <GrantAccess waiting={props.waitingForAccess} />
      <LearnerFilters query={props.query} choices={props.choices} speech={props.speech} />
      <ListCount
        total={props.total}
        one={props.speech === "gb" ? "student" : "learner"}
        many={many}
        order="Listed by family name, then given name, 50 to a page."
      />
      {props.rows.length === 0 ? (
        props.hasAny ? (
          <p>
            No {many} match {props.query.q ? `“${props.query.q}” with ` : ""}these filters. <a href="/learners">Clear the filters</a> to see everyone.
          </p>
        ) : (
          <p class="muted">
            No {many} here yet. Connect your school's system under <a href="/settings/sync">Roster Sync Settings</a> and run a sync from{" "}
            <a href="/sync">Roster Sync Status</a>.
          </p>
        )
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Year group</th>
                <th scope="col">School</th>
                <th scope="col">Access</th>
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
                  <td>{row.yearGroupCode ? yearGroupWords(row.yearGroupCode, row.yearGroup, props.speech) : "None"}</td>
                  <td>{row.school ?? ""}</td>
                  <td>{row.hasAccess ? "Yes" : "No"}</td>
                  <td>
                    {row.linked ? (
                      <span>
                        <LinkedIcon /> Linked
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
      {props.total.count > 0 ? (
        <KeysetPager links={props.links} baseUrl="/learners" params={{ ...props.query }} jumpTo="Go to the family names from" from={props.from} />
      ) : null}
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
  yearGroupCode: string | null;
  school: string | null;
  status: string;
  hasAccess: boolean;
  accessRemoved: boolean;
  enabledInSource: boolean;
  gradePlacement: string | null;
  journeyProductId: string | null;
  classes: { id: string; name: string; kind: string }[];
  links: { source: string; sourceId: string; linkedAt: Date }[];
}

export interface LearnerPageProps {
  learner: LearnerDetail;
  /** Admins change the journey and access, and may erase. */
  canEdit: boolean;
  products: { id: string; name: string }[];
  speech: Speech;
  /** An address the pupil was asked to confirm and has not yet. */
  pendingEmail?: string | null | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

/** Where a learner starts in the products, and why: the grade the school gave, or else the date of birth. */
function placementWords(learner: LearnerDetail, speech: Speech): string | null {
  if (!learner.gradePlacement) return null;
  const placed = gradeWords(learner.gradePlacement, speech);
  if (learner.gradePlacement === learner.yearGroupCode)
    return `${placed}, from the ${speech === "gb" ? "year group" : "grade"} the school gives (${yearGroupWords(learner.yearGroupCode, learner.yearGroup, speech)})`;
  return `${placed}, set when they joined, from their date of birth or the ${speech === "gb" ? "year group" : "grade"} they had then`;
}

function accessWords(learner: LearnerDetail): string {
  if (learner.hasAccess) return "Yes";
  if (learner.accessRemoved) return "No (an admin removed it)";
  if (!learner.enabledInSource) return "No (the account is switched off in the school's system)";
  return "No (needs a class and a year group)";
}

/** The admin's changes on a child's profile: the journey (licensed products only) and access. */
function LearnerEdits(props: LearnerPageProps) {
  const { learner } = props;
  return (
    <section aria-labelledby="edits-title">
      <h2 id="edits-title">Journey and access</h2>
      <div class="grid">
        <form method="post" action={`/learners/${learner.id}/journey`}>
          <SelectField
            name="productId"
            label="Educational journey"
            value={learner.journeyProductId ?? ""}
            options={[{ value: "", label: "None" }, ...props.products.map((product) => ({ value: product.id, label: product.name }))]}
            hint="Only products your organization has a licence for."
          />
          <button type="submit">Change journey</button>
        </form>
        <form method="post" action={`/learners/${learner.id}/access`}>
          <p>Access to products: {accessWords(learner)}.</p>
          {learner.accessRemoved || !learner.hasAccess ? (
            <button type="submit" name="access" value="grant">
              Grant access
            </button>
          ) : (
            <button type="submit" name="access" value="remove" class="secondary">
              Remove access
            </button>
          )}
        </form>
      </div>
    </section>
  );
}

export function LearnerPage(props: LearnerPageProps) {
  const { learner, speech } = props;
  const journey =
    props.products.find((product) => product.id === learner.journeyProductId)?.name ?? (learner.journeyProductId ? "A product no longer licensed" : null);
  const rows: [string, string | null][] = [
    ["Legal name", [learner.givenName, learner.middleName, learner.familyName].filter(Boolean).join(" ")],
    ["Preferred name", [learner.preferredGivenName, learner.preferredFamilyName].filter(Boolean).join(" ") || null],
    ["Date of birth", learner.dateOfBirth],
    ["Gender", learner.gender ? wordsFor(GENDER_WORDS, learner.gender) : null],
    ["Year group", learner.yearGroupCode ? yearGroupWords(learner.yearGroupCode, learner.yearGroup, speech) : null],
    ["School", learner.school],
    ["Email", learner.email ? `${learner.email}${learner.emailVerifiedAt ? " (verified)" : ""}` : null],
    ["UPN", learner.upn],
    ["State ID", learner.stateId],
    ["Student number", learner.studentNumber],
    ["Grade placement", placementWords(learner, speech)],
    ["Educational journey", journey],
    ["Status", wordsFor(LEARNER_STATUS_WORDS, learner.status)],
    ["Access to products", accessWords(learner)],
  ];
  return (
    <section>
      <p>
        <a href="/learners">All learners</a>
      </p>
      <h1>
        {learner.preferredGivenName ?? learner.givenName} {learner.familyName}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
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
      <p class="muted">
        Names, dates, year group, school and identifiers come from your school's system: change them there, and the next sync brings the change.
      </p>
      {props.canEdit ? <LearnerEdits {...props} /> : null}
      {props.canEdit && props.pendingEmail ? (
        <form method="post" action={`/learners/${learner.id}/verification`}>
          <p>
            {props.pendingEmail} waits for the pupil to confirm it.{" "}
            <button type="submit" class="secondary">
              Send the email again
            </button>
          </p>
        </form>
      ) : null}
      <h2>Classes</h2>
      {learner.classes.length ? (
        <ul>
          {learner.classes.map((item) => (
            <li>
              <a href={`/classes/${item.id}`}>{item.name}</a> <span class="muted">({wordsFor(CLASS_KIND_WORDS, item.kind).toLowerCase()})</span>
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
              <LinkedIcon /> {wordsFor(SOURCE_WORDS, link.source)} record <code>{link.sourceId}</code>, linked {link.linkedAt.toISOString().slice(0, 10)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Not linked to any source: a sync will neither update nor remove this learner.</p>
      )}
      {props.canEdit ? <EraseLearnerLink learnerId={learner.id} /> : null}
    </section>
  );
}
