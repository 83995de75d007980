import { FormProblems, TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export interface InvitePageProps {
  token: string;
  email: string;
  orgName: string;
  role: "org_admin" | "educator";
  name?: string;
  errors?: Partial<Record<"name" | "password" | "confirm", string>>;
  minPasswordLength: number;
}

export function InvitePage(props: InvitePageProps) {
  const errors = props.errors ?? {};
  return (
    <article class="narrow">
      <h1>Welcome to Rollcall</h1>
      <p>
        You are joining <strong>{props.orgName}</strong> as {props.role === "org_admin" ? "an organization admin" : "an educator"}. Choose a password for{" "}
        <strong>{props.email}</strong>.
      </p>
      <FormProblems errors={errors} message="Please correct the fields marked below." />
      <form method="post" action={`/invite/${props.token}`}>
        <TextField name="name" label="Your name" autocomplete="name" required value={props.name} error={errors.name} />
        <TextField
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          minlength={props.minPasswordLength}
          hint={`At least ${props.minPasswordLength} characters, and not one that is easy to guess. A short sentence works well.`}
          error={errors.password}
        />
        <TextField name="confirm" label="Password again" type="password" autocomplete="new-password" required error={errors.confirm} />
        <button type="submit">Set password and continue</button>
      </form>
    </article>
  );
}

const reasons = {
  unknown: "This invitation link is not valid. Check that you copied the whole link from the email.",
  used: "This invitation has already been used. Sign in with the password you chose, or ask your admin for a new invitation.",
  expired: "This invitation has expired. Ask your organization's admin (or your vendor) to send a new one.",
  account_exists: "An account with this email address already exists. Sign in instead.",
} as const;

export function InviteUnavailablePage(props: { reason: keyof typeof reasons }) {
  return (
    <article class="narrow">
      <h1>Invitation unavailable</h1>
      <Notice kind="error">{reasons[props.reason]}</Notice>
      <p>
        <a href="/sign-in">Go to sign in</a>
      </p>
    </article>
  );
}
