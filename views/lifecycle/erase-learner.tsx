/** The confirm step before a learner is erased, and what the admin sees afterwards. */
import { TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export interface EraseLearnerProps {
  learner: { id: string; name: string; classes: number; linked: boolean };
  /** What was typed, kept when it did not match. */
  typed?: string | undefined;
  error?: string | undefined;
}

/** Remove them in the school's system too: otherwise the next sync finds them again. */
function ComeBackNote() {
  return (
    <p>
      <strong>Also remove them from your school's own system.</strong> If they are still there, the next sync adds them to Rollcall again as a new learner. If
      your roster comes from an uploaded file, upload a new file without them.
    </p>
  );
}

export function EraseLearnerPage(props: EraseLearnerProps) {
  const { learner } = props;
  return (
    <section>
      <p>
        <a href={`/learners/${learner.id}`}>Back to {learner.name}</a>
      </p>
      <h1>Erase {learner.name}?</h1>
      <p>This deletes everything Rollcall holds about this learner, for good. It cannot be undone. What goes:</p>
      <ul>
        <li>their name, date of birth, email address and the other details on their page;</li>
        <li>
          their places in {learner.classes} {learner.classes === 1 ? "class" : "classes"}
          {learner.linked ? ", and the link to their record in your school's system;" : ";"}
        </li>
        <li>
          their details in the sync history and in last years' archive, your answers about possible matches for them, and emails waiting to be sent to them.
        </li>
      </ul>
      <p>The sync history keeps its counts (for example "3 learners updated") without their name.</p>
      <ComeBackNote />
      <form method="post" action={`/learners/${learner.id}/erase`}>
        <TextField
          name="confirmName"
          label={
            <>
              To confirm, type the learner's name: <strong>{learner.name}</strong>
            </>
          }
          autocomplete="off"
          required
          value={props.typed}
          error={props.error}
        />
        <button type="submit" class="danger">
          Erase this learner
        </button>
      </form>
      <p>
        <a href={`/learners/${learner.id}`}>Keep this learner</a>
      </p>
    </section>
  );
}

export function LearnerErasedPage() {
  return (
    <section>
      <h1>Learner erased</h1>
      <Notice kind="success">The learner's details, class places and links were deleted. The sync history keeps its counts, without their name.</Notice>
      <ComeBackNote />
      <p>
        <a href="/learners">Back to the learners</a>
      </p>
    </section>
  );
}

/** The link on a learner's page, for admins. */
export function EraseLearnerLink(props: { learnerId: string }) {
  return (
    <>
      <h2>Erase this learner</h2>
      <p>When a parent or the school asks for this child's data to be erased.</p>
      <form method="get" action={`/learners/${props.learnerId}/erase`}>
        <button type="submit" class="secondary outline">
          Erase this learner…
        </button>
      </form>
    </>
  );
}
