/** The Bulk Journey Updater's pages: choose learners and a journey, preview who changes, the result with undo. */
import type { ChosenLearner, RosterChoices } from "../../src/db/queries/learner-selection.ts";
import { gradeWords, type Speech } from "../../src/roster/labels.ts";
import { ChoiceGroup, type FieldErrors, FormProblems, SelectField, TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

/** What the admin chose, as each form carries it on. */
export interface JourneyChoice {
  by: "filter" | "list";
  schoolId: string;
  yearGroupCode: string;
  classId: string;
  list: string;
  productId: string;
}

type Products = { id: string; name: string }[];

const journeyOptions = (products: Products) => [{ value: "", label: "No journey" }, ...products.map((product) => ({ value: product.id, label: product.name }))];

function Breadcrumb() {
  return (
    <p>
      <a href="/learners">Learners</a> › Bulk Journey Updater
    </p>
  );
}

export function BulkJourneyPage(props: { choices: RosterChoices; products: Products; choice: Partial<JourneyChoice>; errors: FieldErrors; speech: Speech }) {
  const { choice, errors, choices } = props;
  const any = { value: "", label: "Any" };
  return (
    <section>
      <Breadcrumb />
      <h1>Bulk Journey Updater</h1>
      <p>Move many learners to another educational journey at once. You see who changes before anything is saved, and you can undo it afterwards.</p>
      <FormProblems errors={errors} message="Nothing was changed; each field says what to fix." />
      <form method="post" action="/learners/journeys/preview" enctype="multipart/form-data">
        <ChoiceGroup
          type="radio"
          name="by"
          label="Choose learners"
          options={[
            { value: "filter", label: "By school, year group and class" },
            { value: "list", label: "From a list of learner IDs or usernames" },
          ]}
          chosen={[choice.by ?? "filter"]}
        />
        <fieldset>
          <legend>By school, year group and class</legend>
          <div class="grid">
            <div>
              <SelectField
                name="schoolId"
                label="School"
                value={choice.schoolId ?? ""}
                options={[any, ...choices.schools.map((school) => ({ value: school.id, label: school.name }))]}
                error={errors.schoolId}
              />
            </div>
            <div>
              <SelectField
                name="yearGroupCode"
                label="Year group"
                value={choice.yearGroupCode ?? ""}
                options={[any, ...choices.yearGroupCodes.map((code) => ({ value: code, label: gradeWords(code, props.speech) }))]}
              />
            </div>
            <div>
              <SelectField
                name="classId"
                label="Class"
                value={choice.classId ?? ""}
                options={[any, ...choices.classes.map((klass) => ({ value: klass.id, label: klass.name }))]}
              />
            </div>
          </div>
        </fieldset>
        <fieldset>
          <legend>From a list</legend>
          <TextField
            name="file"
            type="file"
            label="A CSV file"
            accept=".csv,text/csv,text/plain"
            error={errors.file}
            hint="One learner ID or username a line, in the first column."
          />
          <label for="list">Or paste learner IDs or usernames, one a line</label>
          <textarea id="list" name="list" rows={4} aria-describedby={errors.list ? "list-error" : undefined} aria-invalid={errors.list ? "true" : undefined}>
            {choice.list ?? ""}
          </textarea>
          {errors.list ? (
            <small id="list-error" class="field-error">
              {errors.list}
            </small>
          ) : null}
        </fieldset>
        <SelectField
          name="productId"
          label="New educational journey"
          value={choice.productId ?? ""}
          options={journeyOptions(props.products)}
          hint="Only products your organization has a licence for."
          error={errors.productId}
        />
        <button type="submit">Preview changes</button>
      </form>
    </section>
  );
}

/** The choice, unseen, so Apply chooses the same learners again. */
function CarriedChoice(props: { choice: JourneyChoice }) {
  return (
    <>
      {Object.entries(props.choice).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

const SHOWN = 200;

export function JourneyPreview(props: { chosen: ChosenLearner[]; unknown: string[]; choice: JourneyChoice; products: Products }) {
  const nameOf = (id: string | null) => (id ? (props.products.find((product) => product.id === id)?.name ?? "A product no longer licensed") : "No journey");
  const changing = props.chosen.filter((learner) => learner.journeyProductId !== (props.choice.productId || null));
  const target = nameOf(props.choice.productId || null);
  return (
    <section>
      <Breadcrumb />
      <h1>
        Preview: {changing.length.toLocaleString("en")} learners move to {target}
      </h1>
      <p>
        Nothing has changed yet. {props.chosen.length.toLocaleString("en")} learners were chosen; {(props.chosen.length - changing.length).toLocaleString("en")}{" "}
        already follow {target}.
      </p>
      {props.unknown.length ? (
        <Notice kind="info">
          {props.unknown.length} {props.unknown.length === 1 ? "entry names" : "entries name"} no active learner and {props.unknown.length === 1 ? "is" : "are"}{" "}
          left out: {props.unknown.slice(0, 20).join(", ")}
          {props.unknown.length > 20 ? ` and ${props.unknown.length - 20} more` : ""}.
        </Notice>
      ) : null}
      {changing.length ? (
        <div class="table-scroll">
          <table>
            <caption>{changing.length > SHOWN ? `The first ${SHOWN} learners who change` : "Learners who change"}</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Journey now</th>
                <th scope="col">New journey</th>
              </tr>
            </thead>
            <tbody>
              {changing.slice(0, SHOWN).map((learner) => (
                <tr>
                  <td>
                    <a href={`/learners/${learner.id}`}>{learner.name}</a>
                  </td>
                  <td>{nameOf(learner.journeyProductId)}</td>
                  <td>{target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div class="grid">
        <form method="post" action="/learners/journeys/apply">
          <CarriedChoice choice={props.choice} />
          <button type="submit" disabled={!changing.length}>
            Apply to {changing.length.toLocaleString("en")} learners
          </button>
        </form>
        <p>
          <a href="/learners/journeys">Choose again</a>
        </p>
      </div>
    </section>
  );
}

export function JourneyDone(props: { changed?: number; journey?: string; entryId?: number | null; undone?: number | null }) {
  if (props.undone !== undefined)
    return (
      <section>
        <Breadcrumb />
        <h1>Bulk Journey Updater</h1>
        {props.undone === null ? (
          <Notice kind="error">That change was already undone, or it is not one of your organization's. Nothing was changed.</Notice>
        ) : (
          <Notice kind="success">Undone: {props.undone.toLocaleString("en")} learners are back on the journey they had before.</Notice>
        )}
        <p>
          <a href="/learners/journeys">Make another change</a>
        </p>
      </section>
    );
  return (
    <section>
      <Breadcrumb />
      <h1>Bulk Journey Updater</h1>
      <Notice kind="success">
        {(props.changed ?? 0).toLocaleString("en")} learners now follow {props.journey}.
      </Notice>
      {props.entryId ? (
        <form method="post" action={`/learners/journeys/undo/${props.entryId}`}>
          <button type="submit" class="secondary">
            Undo this change
          </button>
          <small class="muted">Learners whose journey was changed again since keep the later change.</small>
        </form>
      ) : null}
      <p>
        <a href="/learners/journeys">Make another change</a>
      </p>
    </section>
  );
}
