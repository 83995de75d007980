import { EmailButton, EmailLayout, type RenderedEmail, renderHtml } from "./layout.tsx";

export interface VerifyEmailProps {
  givenName: string;
  orgName: string;
  link: string;
  expiresInDays: number;
  /** The operator's support address (SUPPORT_EMAIL), said in every email. */
  supportEmail?: string | undefined;
}

/** To a pupil whose school confirmed their address: choose a password to sign in with it. */
export function verifyEmail(props: VerifyEmailProps): RenderedEmail {
  const subject = `${props.orgName}: confirm your email address`;
  const text = [
    `Hello ${props.givenName},`,
    "",
    `${props.orgName} has set up your account with this email address. To start, confirm the address and choose a password here: ${props.link}`,
    "",
    `The link works once and expires in ${props.expiresInDays} days. If this is not your email address, you can ignore this email.`,
    ...(props.supportEmail ? ["", `Questions? Write to ${props.supportEmail}.`] : []),
  ].join("\n");
  const html = renderHtml(
    <EmailLayout title={subject}>
      <p>Hello {props.givenName},</p>
      <p>{props.orgName} has set up your account with this email address. To start, confirm the address and choose a password.</p>
      <EmailButton href={props.link}>Confirm and choose a password</EmailButton>
      <p>
        Or paste this link into your browser: <br />
        {props.link}
      </p>
      <p>The link works once and expires in {props.expiresInDays} days. If this is not your email address, you can ignore this email.</p>
      {props.supportEmail ? <p>Questions? Write to {props.supportEmail}.</p> : null}
    </EmailLayout>,
  );
  return { subject, text, html };
}
