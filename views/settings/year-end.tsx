/** Year end: archive a school year that has closed, after seeing what moves to the archive. */
import { CheckboxField, type FieldErrors, FormProblems, SelectField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

interface YearCounts {
  schoolYear: number;
  classes: number;
  learners: number;
}

export interface YearEndPageProps {
  /** School years that still have active classes, by the year they end in. */
  years: number[];
  /** The school year going on now: archiving it early is allowed (a school ends in June), but said. */
  currentSchoolYear: number;
  autoCarryover: boolean;
  preview?: YearCounts | undefined;
  archived?: YearCounts | undefined;
  errors?: FieldErrors | undefined;
}

/** "2025/26" for the school year that ends in 2026. */
export const schoolYearWords = (year: number) => `${year - 1}/${String(year).slice(2)}`;

export function YearEndPage(props: YearEndPageProps) {
  const errors = props.errors ?? {};
  return (
    <section>
      <p>
        <a href="/settings">Settings</a> › Year end
      </p>
      <h1>Year end</h1>
      <p>
        When a school year has ended, archive it: its classes, and the learners who were only in them, move to the archive. Their history is kept.{" "}
        {props.autoCarryover
          ? "Auto-carryover is on, so a child who comes back in next year's roster is found in the archive and restored with their history."
          : "Auto-carryover is off: a child who comes back is added as a new learner. Turn it on in Roster Sync Settings to keep their history."}
      </p>
      {props.archived ? (
        <Notice kind="success">
          {schoolYearWords(props.archived.schoolYear)} is archived: {props.archived.classes} classes and {props.archived.learners} learners moved to the
          archive.
        </Notice>
      ) : null}
      <FormProblems errors={errors} message="Nothing was archived; see below." />
      {props.preview ? (
        <article aria-labelledby="year-preview-title">
          <h2 id="year-preview-title">Archiving {schoolYearWords(props.preview.schoolYear)}</h2>
          <p>
            {props.preview.classes} classes and {props.preview.learners} learners would move to the archive. Learners who are also in a class of a later year
            stay.
          </p>
          {props.preview.schoolYear >= props.currentSchoolYear ? (
            <Notice kind="info">
              {schoolYearWords(props.preview.schoolYear)} is the school year going on now. Archive it only once its classes have finished: its learners lose
              access until next year's roster brings them back.
            </Notice>
          ) : null}
          <form method="post" action="/settings/year-end">
            <input type="hidden" name="schoolYear" value={String(props.preview.schoolYear)} />
            <CheckboxField name="confirm" label={`Yes, archive ${schoolYearWords(props.preview.schoolYear)}`} checked={false} error={errors.confirm} />
            <button type="submit" disabled={props.preview.classes === 0}>
              Archive this school year
            </button>
          </form>
        </article>
      ) : null}
      {props.years.length ? (
        <form method="post" action="/settings/year-end/preview">
          <SelectField
            name="schoolYear"
            label="School year that has ended"
            value={props.preview?.schoolYear ?? props.years[0]}
            options={props.years.map((year) => ({ value: String(year), label: schoolYearWords(year) }))}
            error={errors.schoolYear}
          />
          <button type="submit" class="secondary">
            Show what would be archived
          </button>
        </form>
      ) : (
        <p class="muted">No school year has classes to archive.</p>
      )}
    </section>
  );
}
