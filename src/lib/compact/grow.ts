/** The typed arrays that grow as records arrive. */
type GrowableArray = Int8Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/**
 * `array` itself when it already holds `length` numbers; otherwise a copy of the same kind, at
 * least twice as long, with the old numbers kept. Doubling keeps the cost of growing one copy
 * per number on average, however many arrive.
 */
export function withLength<Growable extends GrowableArray>(array: Growable, length: number): Growable {
  if (length <= array.length) return array;
  const Kind = array.constructor as new (length: number) => Growable;
  const wider = new Kind(Math.max(array.length * 2, length));
  wider.set(array);
  return wider;
}
