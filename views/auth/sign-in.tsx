import { TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export interface SignInProps {
  email?: string;
  next?: string;
  error?: string;
  notice?: string;
}

export function SignInPage(props: SignInProps) {
  return (
    <article class="narrow">
      <h1>Sign in</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/sign-in">
        <input type="hidden" name="next" value={props.next ?? "/"} />
        <TextField name="email" label="Email address" type="email" autocomplete="username" required value={props.email} />
        <TextField name="password" label="Password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">New here? Your organization's admin or your vendor sends you an invitation by email; its link lets you choose a password.</p>
    </article>
  );
}
