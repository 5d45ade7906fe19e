/**
 * Values keyed by unique names, handed out as one array sorted by name that is kept between
 * builds. Replacing the value of an existing name patches a copy of the last array at that
 * name's position (no sort); only adding or removing a name sorts again; a build with no change
 * returns the very same frozen array. The identity is what lets later stages (snapshot maps,
 * encodings, SotW content) recognise an unchanged resource type without looking inside it.
 *
 * Names sort in UTF-16 code-unit order (Array#sort's default for strings, as order.ts's compareStrings).
 */
export class SortedByName<T> {
  private readonly values = new Map<string, T>();
  private sorted: readonly T[] = Object.freeze([]);
  private positions = new Map<string, number>();
  private readonly replaced = new Set<string>();
  private namesChanged = false;

  get size(): number {
    return this.values.size;
  }

  get(name: string): T | undefined {
    return this.values.get(name);
  }

  set(name: string, value: T): void {
    const had = this.values.has(name);
    if (had && this.values.get(name) === value) return;
    this.values.set(name, value);
    if (had) this.replaced.add(name);
    else this.namesChanged = true;
  }

  delete(name: string): void {
    if (this.values.delete(name)) this.namesChanged = true;
  }

  /** Every value, sorted by name, frozen; the previous array when nothing changed since. */
  array(): readonly T[] {
    if (this.namesChanged) {
      const names = [...this.values.keys()].sort();
      this.positions = new Map(names.map((n, i) => [n, i]));
      this.sorted = Object.freeze(names.map((n) => this.values.get(n) as T));
    } else if (this.replaced.size > 0) {
      const next = this.sorted.slice();
      for (const n of this.replaced) next[this.positions.get(n) as number] = this.values.get(n) as T;
      this.sorted = Object.freeze(next);
    }
    this.namesChanged = false;
    this.replaced.clear();
    return this.sorted;
  }
}
