/** What a scope left out of a run, in the admin's words. */
import type { OutOfScope } from "../../src/run-record.ts";

/** The admin's words for what a scope left out, one sentence per reason; none when nothing was. */
export function describeOutOfScope(out: OutOfScope): string[] {
  const n = (count: number, one: string, many: string) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
  const grades = out.scope === "grades";
  const sentences = [
    out.classes ? `${n(out.classes, "class is", "classes are")} ${grades ? "for grades you do not sync" : "not among the classes you chose"}.` : "",
    out.learnersInOtherClasses ? `${n(out.learnersInOtherClasses, "learner is", "learners are")} only in classes that are not synced.` : "",
    out.learnersInOtherGrades ? `${n(out.learnersInOtherGrades, "learner is", "learners are")} in no class and in a grade you do not sync.` : "",
    out.learnersWithoutGrade
      ? `${n(out.learnersWithoutGrade, "learner is", "learners are")} in no class and ${out.learnersWithoutGrade === 1 ? "has" : "have"} no grade; choosing every grade includes them.`
      : "",
    out.learnersNotChosen
      ? `${n(out.learnersNotChosen, "learner is", "learners are")} in no chosen class and ${out.learnersNotChosen === 1 ? "was" : "were"} not chosen.`
      : "",
    out.educators ? `${n(out.educators, "educator teaches", "educators teach")} no class that is synced.` : "",
  ];
  return sentences.filter(Boolean);
}
