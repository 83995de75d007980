/**
 * A hash table from a pair of name ids to a small number (a comparison level), in typed
 * arrays with open addressing. Scoring looks up millions of pairs; a Map keyed by large
 * numbers costs several times more per lookup and far more memory.
 */
export class PairTable {
  private keysA = new Int32Array(1 << 16).fill(-1);
  private keysB = new Int32Array(1 << 16);
  private values = new Int8Array(1 << 16);
  private count = 0;

  private static slot(a: number, b: number, mask: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & mask;
  }

  /** The value stored for (a, b), or undefined. */
  get(a: number, b: number): number | undefined {
    const mask = this.keysA.length - 1;
    for (let slot = PairTable.slot(a, b, mask); ; slot = (slot + 1) & mask) {
      const key = this.keysA[slot]!;
      if (key === -1) return undefined;
      if (key === a && this.keysB[slot] === b) return this.values[slot];
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.keysA.length) this.grow();
    const mask = this.keysA.length - 1;
    for (let slot = PairTable.slot(a, b, mask); ; slot = (slot + 1) & mask) {
      if (this.keysA[slot] === -1) {
        this.keysA[slot] = a;
        this.keysB[slot] = b;
        this.values[slot] = value;
        this.count++;
        return;
      }
      if (this.keysA[slot] === a && this.keysB[slot] === b) {
        this.values[slot] = value;
        return;
      }
    }
  }

  private grow(): void {
    const [oldA, oldB, oldValues] = [this.keysA, this.keysB, this.values];
    this.keysA = new Int32Array(oldA.length * 2).fill(-1);
    this.keysB = new Int32Array(oldA.length * 2);
    this.values = new Int8Array(oldA.length * 2);
    this.count = 0;
    for (let slot = 0; slot < oldA.length; slot++) if (oldA[slot] !== -1) this.set(oldA[slot]!, oldB[slot]!, oldValues[slot]!);
  }
}
