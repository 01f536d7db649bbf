/**
 * Text the system composed (a tally's explanation, a refund basis, a recorded note) may have been
 * written by an older version with the rule it applies in brackets: "… không tính (C-6).", "(L-19)",
 * "(§4)". Rule IDs belong in the data and the code, never in a document's or an email's text, so
 * such references are taken out before the text is printed or sent. Dossier numbers ("HS-1-2") and
 * task codes ("NV-…") are not rule IDs and stay.
 */
const RULE_ID = String.raw`(?:(?:L|T|A|N|RS)-\d+|C-(?:\d+|ID|SEL|BUD|ACC)(?:-\d+)?|§\s?\d+)`;
/** "(C-6)", "(L-4, L-6)", "(C-ACC-3; §7)". */
const BRACKETED = new RegExp(String.raw`\s*\(${RULE_ID}(?:\s*[,;]\s*${RULE_ID})*\)`, 'g');
/** ", C-3)" or "; L-19)" at the end of a bracket that says something else too. */
const TRAILING = new RegExp(String.raw`\s*[,;:]\s*${RULE_ID}(?=\))`, 'g');
/** "(L-3, 7/8 …)": a rule ID opening a bracket that goes on. */
const LEADING = new RegExp(String.raw`\(\s*${RULE_ID}\s*[,;:]\s*`, 'g');

export function plainText(text: string): string {
  return text.replace(BRACKETED, '').replace(TRAILING, '').replace(LEADING, '(').replace(/\s+([.,;:])/g, '$1');
}
