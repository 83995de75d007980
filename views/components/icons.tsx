/**
 * Icons drawn inline as SVG, so they show the same everywhere (an emoji is an empty box where no
 * emoji font is installed) and follow the text's colour. Each carries its own accessible name.
 */

/** The chain-link: this learner is linked to the school's system (ARCHITECTURE.md, "Vocabulary": link). */
export function LinkedIcon(props: { label?: string }) {
  const label = props.label ?? "Linked to your school's system";
  return (
    <svg
      class="icon"
      role="img"
      aria-label={label}
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <title>{label}</title>
      <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4l-1.1 1.1" />
      <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1.1-1.1" />
    </svg>
  );
}
