/** Field name -> the first message for it, for forms that mark fields. */
export type FieldErrors = Record<string, string>;
