/*
 * Date and number formats, each made once per locale and options and then kept: an
 * `Intl.DateTimeFormat` takes about 150 µs to make and 1 µs to use (`toLocaleDateString` makes one
 * on every call), and a list of fifty cases formats a hundred dates. The options are the same as
 * `Intl`'s; a call site's options are written the same way each time, so they make one key.
 */

/** Far more than the code's call sites × languages: a bound, should a key ever come from input. */
const LIMIT = 1_000;

function cached<F>(kept: Map<string, F>, locale: string | undefined, options: object, make: () => F): F {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let format = kept.get(key);
  if (format === undefined) {
    if (kept.size >= LIMIT) kept.clear();
    format = make();
    kept.set(key, format);
  }
  return format;
}

const dates = new Map<string, Intl.DateTimeFormat>();
const numbers = new Map<string, Intl.NumberFormat>();

/** `new Intl.DateTimeFormat(locale, options)`, made once. */
export function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached(dates, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** `new Intl.NumberFormat(locale, options)`, made once. */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(numbers, locale, options, () => new Intl.NumberFormat(locale, options));
}
