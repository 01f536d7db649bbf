// The worker's workflowsPath: every workflow, exported by name.
export { taskLifecycleWorkflow } from './task-lifecycle';
export { councilSittingWorkflow } from './council-sitting';
export { documentIssuanceWorkflow } from './document-issuance';
export { benchNoopWorkflow } from './bench-noop';
export { portfolioImportWorkflow, reconciliationWorkflow } from './portfolio-jobs';
