/**
 * Reading records in batches. A record's strings live apart from it, so reading each is a wait
 * on memory; a loop that hashes one string at a time (its length decides when the loop ends, a
 * branch the processor cannot foresee) waits for them one by one. Touching the first character
 * of every string a batch will read, in one straight loop, lets the processor wait for them all
 * at once, and the work that follows finds them in cache. The same holds for the slots of a
 * table that a batch of keys will probe (KeyIndex.readAhead).
 */

/** Records a batch holds. */
export const BATCH = 32;

/**
 * Where touched values go, so the engine cannot drop the reads as unused. The one piece of
 * module-level state the layout allows outside a class: it is written, never read for a result.
 */
// biome-ignore lint/correctness/noUnusedVariables: written only, so the reads that feed it stay
let sink = 0;

/** The first code unit of a string (0 when there is none): reading it brings the string into cache. */
export const firstCode = (value: string | undefined): number => (value ? value.charCodeAt(0) : 0);

/** Keeps a value read only to bring its memory into cache. */
export function keep(value: number): void {
  sink ^= value;
}
