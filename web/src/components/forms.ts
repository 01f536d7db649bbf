/**
 * Forms and the API's answers: a 400's field errors go next to their fields (and into the
 * summary at the top); nothing typed is lost, since the form keeps its values.
 */
import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/** The API's field path ('host.pi.email', 'expectedProducts.1') as a form name path. */
export const namePath = (field: string): (string | number)[] => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** Puts each field error on its field; returns the fields the form does not have. */
export function showFieldErrors(form: FormInstance, err: unknown, prefix: (string | number)[] = []): string[] {
  if (!(err instanceof ApiError)) return [];
  const known = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
  const unplaced: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const e of err.fieldErrors) {
    let name = namePath(e.field);
    if (prefix.length && name.slice(0, prefix.length).join('.') === prefix.join('.')) name = name.slice(prefix.length);
    // An error on one line of a list (expectedProducts.1) goes on that line if the form has it, else on the list.
    const onList = name.slice(0, -1);
    if (known.has(JSON.stringify(name))) fields.push({ name, errors: [e.reason] });
    else if (typeof name.at(-1) === 'number' && known.has(JSON.stringify(onList))) fields.push({ name: onList, errors: [e.reason] });
    else unplaced.push(e.field);
  }
  form.setFields(fields);
  return unplaced;
}

/** Scrolls to and focuses a field named by the API's path (from the error summary). */
export function focusField(form: FormInstance, field: string) {
  const name = namePath(field);
  form.scrollToField(name, { block: 'center' });
  form.focusField(name);
}
