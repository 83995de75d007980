/**
 * Every form field, one way: a label, an optional hint, the error next to the field, and the
 * field tied to both (aria-describedby) and marked invalid (aria-invalid) when it has an error.
 * A group of radios or checkboxes is one field: a fieldset whose legend is its label.
 * Forms post without JavaScript; the routes read them through validated() (src/routes/validate.ts).
 */
import type { Child } from "hono/jsx";
import { Notice } from "../layout.tsx";

/** Field name -> the first message for it. */
export type FieldErrors = Record<string, string>;

interface FieldProps {
  name: string;
  label: Child;
  hint?: Child | undefined;
  error?: string | undefined;
  /** Several forms on one page keep their ids apart with a prefix. */
  idPrefix?: string | undefined;
  disabled?: boolean | undefined;
}

const idOf = (props: FieldProps) => `${props.idPrefix ? `${props.idPrefix}-` : ""}${props.name}`;

/** The ids a field is described by, and the hint and error that carry them. */
function described(props: FieldProps) {
  const id = idOf(props);
  const ids = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return {
    id,
    aria: { "aria-describedby": ids || undefined, "aria-invalid": props.error ? ("true" as const) : undefined },
    // The error first: it is what to do now, and the style of an invalid field's next line is the error's.
    notes: (
      <>
        {props.error ? (
          <small id={`${id}-error`} class="field-error">
            {props.error}
          </small>
        ) : null}
        {props.hint ? <small id={`${id}-hint`}>{props.hint}</small> : null}
      </>
    ),
  };
}

export interface TextFieldProps extends FieldProps {
  type?: "text" | "email" | "password" | "number" | "time" | "url" | "search" | "file";
  value?: string | number | null | undefined;
  required?: boolean | undefined;
  autocomplete?: string | undefined;
  min?: string | number | undefined;
  max?: string | number | undefined;
  minlength?: number | undefined;
  accept?: string | undefined;
}

export function TextField(props: TextFieldProps) {
  const { id, aria, notes } = described(props);
  // A password is never echoed back into the page.
  const value = props.type === "password" || props.type === "file" ? undefined : props.value === null || props.value === undefined ? "" : String(props.value);
  return (
    <>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={value}
        required={props.required}
        autocomplete={props.autocomplete}
        min={props.min === undefined ? undefined : String(props.min)}
        max={props.max === undefined ? undefined : String(props.max)}
        minlength={props.minlength}
        accept={props.accept}
        disabled={props.disabled}
        {...aria}
      />
      {notes}
    </>
  );
}

export interface SelectFieldProps extends FieldProps {
  options: readonly { value: string; label: Child }[];
  value?: string | number | null | undefined;
}

export function SelectField(props: SelectFieldProps) {
  const { id, aria, notes } = described(props);
  const chosen = props.value === null || props.value === undefined ? "" : String(props.value);
  return (
    <>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} disabled={props.disabled} {...aria}>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === chosen}>
            {option.label}
          </option>
        ))}
      </select>
      {notes}
    </>
  );
}

export interface CheckboxFieldProps extends FieldProps {
  checked: boolean;
  /** Drawn as an on/off switch. */
  toggle?: boolean | undefined;
  value?: string | undefined;
}

export function CheckboxField(props: CheckboxFieldProps) {
  const { id, aria, notes } = described(props);
  return (
    <>
      <label for={id}>
        {/* Pico draws a checkbox with role="switch" as a switch; the native checked state is what assistive technology reads. */}
        <input
          id={id}
          type="checkbox"
          role={props.toggle ? "switch" : undefined}
          name={props.name}
          value={props.value ?? "on"}
          checked={props.checked}
          disabled={props.disabled}
          {...aria}
        />
        {props.label}
      </label>
      {notes}
    </>
  );
}

export interface ChoiceGroupProps extends FieldProps {
  /** One choice (radio) or any number (checkbox), all sent under the group's name. */
  type: "radio" | "checkbox";
  options: readonly { value: string; label: Child }[];
  chosen: readonly string[] | string | null | undefined;
  /** Many short options side by side. */
  grid?: boolean | undefined;
}

export function ChoiceGroup(props: ChoiceGroupProps) {
  const { id, aria, notes } = described(props);
  const chosen = new Set([props.chosen ?? []].flat());
  // The first option carries the group's id, so the problems notice's link lands on it.
  const options = props.options.map((option, index) => {
    const optionId = index === 0 ? id : `${id}-${option.value}`;
    return (
      <label for={optionId}>
        <input
          id={optionId}
          type={props.type}
          name={props.name}
          value={option.value}
          checked={chosen.has(option.value)}
          disabled={props.disabled}
          aria-invalid={aria["aria-invalid"]}
        />
        {option.label}
      </label>
    );
  });
  return (
    <fieldset aria-describedby={aria["aria-describedby"]}>
      <legend>{props.label}</legend>
      {notes}
      {props.grid ? <div class="choice-grid">{options}</div> : options}
    </fieldset>
  );
}

/** The notice above a form that was sent back: what to do, with a link to the first field to fix. */
export function FormProblems(props: { errors?: FieldErrors | undefined; message: Child; idPrefix?: string | undefined }) {
  const fields = Object.keys(props.errors ?? {});
  if (!fields.length) return null;
  const first = `${props.idPrefix ? `${props.idPrefix}-` : ""}${fields[0]}`;
  return (
    <Notice kind="error">
      {props.message} <a href={`#${first}`}>{props.errors![fields[0]!]}</a>
    </Notice>
  );
}
