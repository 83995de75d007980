/** Growable typed arrays share this: twice the room, the old numbers kept. */
export function doubled(old: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(old.length * 2);
  next.set(old);
  return next;
}
