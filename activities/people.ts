/**
 * Fields of the `users` collection that exist only so that people can be found and listed
 * (issue 11: a council is formed by picking its members by name, academic title, workplace):
 * a folded sort key and the folded words of what a manager would type. Pure; every write of a
 * user sets them (users API, the bulk import, the development seed), and the API fills them in
 * at start for users written before they existed.
 */
import { foldVietnamese, searchWords } from './task-list-fields';

export interface PersonFields {
  name: string;
  email: string;
  title?: string | undefined;
  workplace?: string | undefined;
  orgName?: string | undefined;
}

export interface PersonSearchFields {
  /**
   * The sort key: the given name first, then the whole name, folded. Vietnamese lists of people
   * are ordered by the given name (the last word: "Ánh" of "Phạm Thị Ngọc Ánh"), not the family name.
   */
  nameKey: string;
  /** Folded words of the name, academic title, workplace, organisation and e-mail (multikey index; prefix search). */
  searchTerms: string[];
}

export function personSearchFields(p: PersonFields): PersonSearchFields {
  const name = foldVietnamese(p.name.normalize('NFC')).trim().replace(/\s+/g, ' ');
  const given = name.split(' ').at(-1) ?? '';
  const terms = new Set([p.name, p.title, p.workplace, p.orgName, p.email.split('@')[0]].filter((x): x is string => Boolean(x)).flatMap(searchWords));
  return { nameKey: `${given} ${name}`.trim(), searchTerms: [...terms].sort() };
}
