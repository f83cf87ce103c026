/**
 * A part loaded on first need (a chunk behind `import()`), shared by every widget of the page.
 * One behaviour for all of them: callers wait on the same import; a failed import is reported
 * once, on the console, and not remembered, so the next need tries again (a network hiccup
 * must not cost the page that part until a reload).
 */
export class Lazy<T> {
  /** The loaded part, once in. */
  value: T | undefined;
  private loading: Promise<T | undefined> | undefined;

  /** `what` completes "[leadwire] … could not load" in the report of a failure. */
  constructor(
    private readonly what: string,
    private readonly importer: () => Promise<T>,
  ) {}

  /** The part, or undefined when this attempt failed (reported; the next call tries again). */
  load(): Promise<T | undefined> {
    return (this.loading ??= this.importer().then(
      (value) => (this.value = value),
      (error: unknown) => {
        this.loading = undefined;
        console.error(`[leadwire] ${this.what} could not load`, error);
        return undefined;
      },
    ));
  }
}
