/** The pupil's pages: confirming their address with a password, signing in, and being signed in. */
import { FormProblems, TextField } from "../components/forms.tsx";
import { Notice } from "../layout.tsx";

export function VerifyPage(props: { token: string; givenName: string; email: string; minPasswordLength: number; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  return (
    <article class="narrow">
      <h1>Hello {props.givenName}</h1>
      <p>
        Your school set up your account with <strong>{props.email}</strong>. Choose a password to sign in with it.
      </p>
      <FormProblems errors={errors} message="Please correct the fields marked below." />
      <form method="post" action={`/verify/${props.token}`}>
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
        <button type="submit">Confirm my address</button>
      </form>
    </article>
  );
}

const UNAVAILABLE = {
  unknown: "This link is not valid. Check that you opened the whole link from the email.",
  used: "This link has already been used. Sign in with the password you chose.",
  expired: "This link has expired. Ask your school to send you a new one.",
  taken: "Another pupil's account already uses this email address, so it cannot be confirmed for you. Ask your school to check your address.",
} as const;

export function VerifyUnavailablePage(props: { reason: keyof typeof UNAVAILABLE }) {
  return (
    <article class="narrow">
      <h1>This link cannot be used</h1>
      <Notice kind="error">{UNAVAILABLE[props.reason]}</Notice>
      <p>
        <a href="/learn/sign-in">Go to pupil sign-in</a>
      </p>
    </article>
  );
}

export function VerifiedPage() {
  return (
    <article class="narrow">
      <h1>Your address is confirmed</h1>
      <Notice kind="success">You can now sign in with your email address and the password you chose.</Notice>
      <p>
        <a href="/learn/sign-in">Sign in</a>
      </p>
    </article>
  );
}

export function LearnerSignInPage(props: { email?: string; error?: string }) {
  return (
    <article class="narrow">
      <h1>Pupil sign-in</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/learn/sign-in">
        <TextField name="email" label="Email address" type="email" autocomplete="username" required value={props.email} />
        <TextField name="password" label="Password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">Your school gives you your account. Staff sign in on the staff sign-in page.</p>
    </article>
  );
}

export function LearnerHomePage(props: { name: string; orgName: string }) {
  return (
    <article class="narrow">
      <h1>Hello {props.name}</h1>
      <p>You are signed in with your {props.orgName} account. Your products open from here.</p>
      <form method="post" action="/learn/sign-out">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </article>
  );
}
