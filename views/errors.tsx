import { Notice } from "./layout.tsx";

export function NotFoundPage() {
  return (
    <article>
      <h1>Page not found</h1>
      <p>There is nothing here, or it belongs to another organization. Check the address, or go back to the overview.</p>
      <p>
        <a href="/">Go to the overview</a>
      </p>
    </article>
  );
}

export function ErrorPage(props: { status: number; message: string }) {
  const title =
    props.status === 403 ? "Not allowed" : props.status === 413 ? "Too large to accept" : props.status >= 500 ? "Something went wrong" : "Request refused";
  return (
    <article>
      <h1>{title}</h1>
      <Notice kind="error">{props.message}</Notice>
      <p>
        <a href="/">Go to the overview</a>
      </p>
    </article>
  );
}
