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
  const describedBy = (field: keyof typeof errors) => (errors[field] ? `${field}-error` : undefined);
  return (
    <article class="narrow">
      <h1>Welcome to Rollcall</h1>
      <p>
        You are joining <strong>{props.orgName}</strong> as {props.role === "org_admin" ? "an organization admin" : "an educator"}. Choose a password for{" "}
        <strong>{props.email}</strong>.
      </p>
      {Object.keys(errors).length ? <Notice kind="error">Please correct the fields marked below.</Notice> : null}
      <form method="post" action={`/invite/${props.token}`}>
        <label for="name">Your name</label>
        <input
          id="name"
          name="name"
          autocomplete="name"
          required
          value={props.name ?? ""}
          aria-invalid={errors.name ? "true" : undefined}
          aria-describedby={describedBy("name")}
        />
        {errors.name ? (
          <small id="name-error" class="field-error">
            {errors.name}
          </small>
        ) : null}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength={props.minPasswordLength}
          aria-invalid={errors.password ? "true" : undefined}
          aria-describedby={describedBy("password") ?? "password-hint"}
        />
        {errors.password ? (
          <small id="password-error" class="field-error">
            {errors.password}
          </small>
        ) : (
          <small id="password-hint">At least {props.minPasswordLength} characters, and not one that is easy to guess. A short sentence works well.</small>
        )}
        <label for="confirm">Password again</label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autocomplete="new-password"
          required
          aria-invalid={errors.confirm ? "true" : undefined}
          aria-describedby={describedBy("confirm")}
        />
        {errors.confirm ? (
          <small id="confirm-error" class="field-error">
            {errors.confirm}
          </small>
        ) : null}
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
