/**
 * Safety rules 2 and the May match policy (DESIGN.md section 4): a plan that would deactivate
 * or remove more than the threshold of the organization's active learners, classes or
 * enrolments is held for an admin's approval, and so is a scheduled run with May match
 * learners when the policy is "hold for review". (Rule 1, a failed read, never reaches here:
 * the runner plans only from a complete snapshot.)
 */
import type { Plan, PlanItem, RunTriggerKind } from "./reconcile/types.ts";

export interface SafetySettings {
  holdThresholdPercent: number;
  holdThresholdMinimum: number;
  mayMatchPolicy: "hold" | "auto_accept";
}

export interface SafetyVerdict {
  hold: boolean;
  /** In the admin's words, one per reason. */
  reasons: string[];
  destructive: { learners: number; classes: number; enrolments: number };
}

const destructiveCount = (items: PlanItem<unknown>[]) => items.filter((item) => item.action === "deactivate" || item.action === "remove").length;

export function checkSafety(
  plan: Plan,
  activeTotals: { learners: number; classes: number; enrolments: number },
  settings: SafetySettings,
  trigger: RunTriggerKind,
): SafetyVerdict {
  const destructive = {
    learners: destructiveCount(plan.learners),
    classes: destructiveCount(plan.classes),
    enrolments: plan.enrolments.remove.length,
  };
  const reasons: string[] = [];
  const words = { learners: ["learner", "learners", "deactivate or remove"], classes: ["class", "classes", "deactivate or remove"], enrolments: ["class place", "class places", "remove"] } as const;
  for (const kind of ["learners", "classes", "enrolments"] as const) {
    const count = destructive[kind];
    const active = activeTotals[kind];
    if (count >= settings.holdThresholdMinimum && count * 100 > settings.holdThresholdPercent * active) {
      const share = active ? Math.round((count * 100) / active) : 100;
      const [, plural, verb] = words[kind];
      reasons.push(
        `This sync would ${verb} ${count} of ${active} active ${plural} (${share}%), more than the ${settings.holdThresholdPercent}% a sync may change without your approval.`,
      );
    }
  }
  const mayMatch = plan.counts.learners["May match"];
  if (trigger === "scheduled" && settings.mayMatchPolicy === "hold" && mayMatch > 0) {
    reasons.push(`${mayMatch} incoming ${mayMatch === 1 ? "learner looks" : "learners look"} like ${mayMatch === 1 ? "a learner" : "learners"} you already have and ${mayMatch === 1 ? "needs" : "need"} your review.`);
  }
  return { hold: reasons.length > 0, reasons, destructive };
}
