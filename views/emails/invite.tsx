import { EmailButton, EmailLayout, type RenderedEmail, renderHtml } from "./layout.tsx";

export interface InviteEmailProps {
  orgName: string;
  role: "org_admin" | "educator";
  acceptUrl: string;
  expiresInDays: number;
  /** The operator's support address (SUPPORT_EMAIL), said in every email. */
  supportEmail?: string | undefined;
}

const roleWords = { org_admin: "an organization admin", educator: "an educator" } as const;

export function inviteEmail(props: InviteEmailProps): RenderedEmail {
  const subject = `You're invited to manage ${props.orgName} in Rollcall`;
  const text = [
    `You have been invited to ${props.orgName} in Rollcall as ${roleWords[props.role]}.`,
    "",
    `Set your password here: ${props.acceptUrl}`,
    "",
    `The link works once and expires in ${props.expiresInDays} days. If you did not expect this email, you can ignore it.`,
    ...(props.supportEmail ? ["", `Questions? Write to ${props.supportEmail}.`] : []),
  ].join("\n");
  const html = renderHtml(
    <EmailLayout title={subject}>
      <p>
        You have been invited to <strong>{props.orgName}</strong> in Rollcall as {roleWords[props.role]}.
      </p>
      <EmailButton href={props.acceptUrl}>Set your password</EmailButton>
      <p>
        Or paste this link into your browser: <br />
        {props.acceptUrl}
      </p>
      <p>The link works once and expires in {props.expiresInDays} days. If you did not expect this email, you can ignore it.</p>
      {props.supportEmail ? <p>Questions? Write to {props.supportEmail}.</p> : null}
    </EmailLayout>,
  );
  return { subject, text, html };
}
