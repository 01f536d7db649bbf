/**
 * The dossier a council judges, as its full-access readers see it (issue 10): the task with
 * its proposal (without the proposer's e-mail address and phone), one item per thing voted on,
 * and for an acceptance council the approved products with the IDs a rating sheet uses.
 * C-6: the council route shows it only to the Department's staff and to members who declared
 * no conflict (accessOf === 'full').
 */
import type { CouncilDoc } from '../activities/store';
import type { HostParty, TaskState } from '../workflows/definitions';

/** The applicant or host as members see them: organisation and PI by name, no contact details. */
const hostView = (h: HostParty) => ({ orgId: h.orgId, orgName: h.orgName, pi: { name: h.pi.name } });

export function councilDossier(council: Pick<CouncilDoc, 'kind' | 'dossiers'>, t: TaskState) {
  const { proposer, ...proposal } = t.proposal;
  const task = {
    taskId: t.taskId,
    title: t.proposal.title,
    level: t.proposal.level,
    form: t.proposal.form,
    proposal: { ...proposal, proposer: { name: proposer.name, organisation: proposer.organisation } },
    ...(t.approval ? { approval: t.approval } : {}),
  };
  switch (council.kind) {
    case 'C-ID':
      return { task, items: [{ itemId: 'proposal', label: t.proposal.title, files: [] }] };
    case 'C-SEL':
      // The dossiers the sitting scores (the valid ones of the call, or the one of a direct assignment).
      return {
        task,
        items: (council.dossiers ?? []).map((dossierId) => {
          const host = dossierId === 'HS-GTT' ? t.host : t.call?.dossiers.find((d) => d.dossierId === dossierId)?.host;
          return { itemId: dossierId, label: host ? `${dossierId} — ${host.orgName}` : dossierId, ...(host ? { host: hostView(host) } : {}), files: [] };
        }),
      };
    case 'C-ACC':
      return {
        task,
        items: [{ itemId: 'acceptance-dossier', label: `Hồ sơ đánh giá nghiệm thu${t.host ? ` — ${t.host.orgName}` : ''}`, ...(t.host ? { host: hostView(t.host) } : {}), files: [] }],
        // C-ACC: each approved product is rated on its own; P1…Pn in approval order (L-10).
        products: (t.approval?.products ?? []).map((name, i) => ({ productId: `P${i + 1}`, name })),
      };
  }
}
