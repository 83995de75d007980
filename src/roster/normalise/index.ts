export { type DateShape, dateShape, isoDate, parseDate } from "./dates.ts";
export { cedsCode, isCedsCode, normaliseGrade, normaliseGrades } from "./grades.ts";
export { cleanName, normaliseEmail } from "./text.ts";
export { checkUpn } from "./upn.ts";
