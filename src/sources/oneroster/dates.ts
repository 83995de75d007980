/**
 * OneRoster Date columns (birthDate, startDate, endDate) as real files write them. The
 * standard says 2014-03-09; other unambiguous shapes (3/29/2014, 29/3/2014, 2014/03/29) are
 * read with one warning per file. A date like 3/9/2014 fits month-first and day-first alike:
 * the set's prevailing shape decides, counted over every date the reader sees (so such dates
 * are read after their file: session dates once academicSessions.csv is read, birth dates
 * once the users are). A date that cannot be read is a warning at its line and field.
 */
import { type DateShape, dateShape, isoDate } from "../../roster/normalise/index.ts";
import type { Problems } from "./problems.ts";

export interface DateAt {
  file: string;
  line: number;
  field: string;
}

const SHAPE_WORDS: Partial<Record<DateShape, string>> = { "year-first": "year/month/day", "month-first": "month/day/year", "day-first": "day/month/year" };

export class DateReader {
  private monthFirst = 0;
  private dayFirst = 0;

  constructor(private readonly problems: Problems) {}

  /** Counts a date towards the set's prevailing shape; call it for every date as it is met. */
  observe(text: string): void {
    if (!text || text.length > 10) return;
    const { shape } = dateShape(text);
    if (shape === "month-first") this.monthFirst++;
    else if (shape === "day-first") this.dayFirst++;
  }

  /** The date as YYYY-MM-DD, or undefined (with a warning at its line and field) when it cannot be read. */
  read(text: string, at: DateAt): string | undefined {
    if (!text) return undefined;
    const parts = dateShape(text);
    const quoted = `"${text}"`;
    if (parts.shape === "unreadable") {
      this.problems.note("warning", at.file, at.line, at.field, `${quoted} is not a date like 2014-03-09; it was ignored`);
      return undefined;
    }
    let { month, day } = parts;
    if (parts.shape === "either" && month !== day) {
      const prevailing = this.monthFirst > this.dayFirst ? "month-first" : this.dayFirst > this.monthFirst ? "day-first" : undefined;
      if (!prevailing) {
        this.problems.note(
          "warning",
          at.file,
          at.line,
          at.field,
          `${quoted} could be day/month/year or month/day/year, and no other date in the roster tells which; it was ignored`,
        );
        return undefined;
      }
      if (prevailing === "day-first") [month, day] = [day, month];
      this.problems.once(
        "warning",
        at.file,
        at.line,
        at.field,
        `${quoted} could be day/month/year or month/day/year; most dates in this roster are ${SHAPE_WORDS[prevailing]}, so it was read that way`,
      );
    } else if (parts.shape !== "iso" && parts.shape !== "either") {
      this.problems.once(
        "warning",
        at.file,
        at.line,
        at.field,
        `dates are written like ${quoted} (${SHAPE_WORDS[parts.shape]}), not like 2014-03-09; they were read as ${SHAPE_WORDS[parts.shape]}`,
      );
    } else if (parts.shape === "either") {
      this.problems.once(
        "warning",
        at.file,
        at.line,
        at.field,
        `dates are written like ${quoted}, not like 2014-03-09; it was read (its day and month are the same number)`,
      );
    }
    const date = isoDate(parts.year, month, day);
    if (!date) this.problems.note("warning", at.file, at.line, at.field, `${quoted} is not a real date; it was ignored`);
    return date;
  }
}
