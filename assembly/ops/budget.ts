// Robustness caps for one pipeline run (docs/operations.md §5). Operations run on client data:
// an empty `split` separator multiplies values, `cloned`/`flat_map` nest, `replace` grows a
// value. Every run therefore gets a budget, shared by all its sub-pipelines:
//
//   * MAX_VALUES: no stack may hold more than 1024 values;
//   * MAX_PRODUCED: at most 65536 units produced per run, where every value an operation
//     adds to a stack costs 1, plus its length in UTF-16 code units (= bytes for ASCII) when
//     the operation had to build a new string (decode, strrev, split, replace, join, json…).
//     Copies of existing values (push, dup, indexes, cloned…) cost 1 each.
//
// Both are far above any credential lookup. Exceeding either fails the pipeline — never the
// VM — and `exhausted` stays set so that no check (`refute`, `none`, `select`…) can turn
// the failure into a success.

export const MAX_VALUES: i32 = 1024;
export const MAX_PRODUCED: i32 = 65536;

export class Budget {
  produced: i32 = 0;
  exhausted: bool = false;

  /** spends `units`; false (and exhausted) when the run would go over its allowance */
  charge(units: i64): bool {
    if (this.exhausted || units > <i64>(MAX_PRODUCED - this.produced)) {
      this.exhausted = true;
      return false;
    }
    this.produced += <i32>units;
    return true;
  }

  /** false (and exhausted) when `count` values exceed the per-stack cap */
  fits(count: i32): bool {
    if (count > MAX_VALUES) this.exhausted = true;
    return !this.exhausted;
  }

  /** pushes a value built by the operation (`built` = its text is new) */
  emit(stack: Array<string>, value: string, built: bool): bool {
    if (!this.fits(stack.length + 1) || !this.charge(built ? value.length + 1 : 1)) return false;
    stack.push(value);
    return true;
  }
}
