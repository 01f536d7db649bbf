/**
 * Fields of issue 10's API additions (uploads, public calls, the applicant's dossiers, the
 * council's dossier), written against their contract until their schemas land in
 * api/schemas.ts; then these become z.infer types like the rest.
 */
export interface TaskFile {
  fileId: string;
  filename: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedBy: { userId: string; name: string };
  uploadedAt: string;
  command: string;
  url: string;
}

export interface CallView {
  opensOn: string;
  closesOn: string;
  round: number;
  dossiers: { dossierId: string; host: { orgId: string; orgName: string; pi: { name: string; email: string } }; submittedAt: string; valid?: boolean }[];
}

export interface PublicCall {
  taskId: string;
  title: string;
  objectives: string;
  expectedProducts: string[];
  level: string;
  form: string;
  durationMonths: number;
  budgetCeiling: { stateBudget: number; otherSources: number };
  opensOn: string;
  closesOn: string;
  round: number;
  departmentName: string;
}

export interface CouncilFile {
  fileId: string;
  filename: string;
  size: number;
  contentType: string;
  command: string;
  url: string;
}

export interface CouncilExtras {
  dossier?: {
    task: { taskId: string; title: string; level: string; form: string; proposal: { title: string; urgency: string; objectives: string; expectedProducts: string[]; resultUsage: string; durationMonths: number; budget: { stateBudget: number; otherSources: number }; proposer: { name: string; organisation: string } }; approval?: { durationMonths: number; products: string[] } };
    items: { itemId: string; label: string; host?: { orgId: string; orgName: string; pi: { name: string } }; files: CouncilFile[] }[];
    products?: { productId: string; name: string }[];
  };
  files?: CouncilFile[];
}
