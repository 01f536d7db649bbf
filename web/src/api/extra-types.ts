/**
 * Fields of issue 10's uploads, written against their contract until their schemas land in
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

export interface CouncilFile {
  fileId: string;
  filename: string;
  size: number;
  contentType: string;
  command?: string;
  url: string;
}

export interface CouncilExtras {
  files?: CouncilFile[];
}
