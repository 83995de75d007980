import type { Child } from "hono/jsx";

/**
 * Every email is sent as plain text and HTML. The HTML is deliberately simple: inline styles
 * only (mail clients drop style sheets), one column, readable without images.
 */
export function EmailLayout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
      </head>
      <body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b; max-width: 36rem; margin: 0 auto; padding: 1rem;">
        {props.children}
        <p style="color: #5c5c5c; font-size: 14px; margin-top: 2rem;">Sent by Rollcall, your platform's roster sync.</p>
      </body>
    </html>
  );
}

export function EmailButton(props: { href: string; children: Child }) {
  return (
    <p>
      <a href={props.href} style="display: inline-block; background: #0b5cad; color: #ffffff; padding: 0.6rem 1rem; border-radius: 6px; text-decoration: none;">
        {props.children}
      </a>
    </p>
  );
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderHtml(element: unknown): string {
  return `<!doctype html>${String(element)}`;
}
