/** The pages and who may open them; each page's code is loaded when first visited. */
import type { RouteObject } from 'react-router';
import { Layout } from './Layout';
import { RouteError } from './RouteError';

const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

export const routes: RouteObject[] = [
  {
    path: '/',
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, lazy: page(() => import('../features/home/HomePage')) },
      { path: 'sign-in', lazy: page(() => import('../features/auth/SignInPage')) },
      { path: 'calls', lazy: page(() => import('../features/calls/CallsPage')) },
      { path: 'calls/:taskId', lazy: page(() => import('../features/calls/CallPage')) },
      { path: 'tasks', lazy: page(() => import('../features/tasks/MyTasksPage')) },
      { path: 'tasks/new', lazy: page(() => import('../features/tasks/NewProposalPage')) },
      { path: 'tasks/:taskId', lazy: page(() => import('../features/tasks/TaskPage')) },
      { path: 'councils', lazy: page(() => import('../features/councils/MyCouncilsPage')) },
      { path: 'councils/:councilId', lazy: page(() => import('../features/councils/CouncilPage')) },
      { path: 'reports', lazy: page(() => import('../features/reports/ReportsPage')) },
      { path: 'signatures', lazy: page(() => import('../features/documents/SignaturesPage')) },
      { path: 'documents', lazy: page(() => import('../features/documents/DocumentsPage')) },
      { path: 'documents/:documentId', lazy: page(() => import('../features/documents/DocumentPage')) },
      { path: 'admin/users', lazy: page(() => import('../features/admin/UsersPage')) },
      { path: 'admin/audit', lazy: page(() => import('../features/admin/AuditPage')) },
      { path: '*', lazy: page(() => import('./NotFoundPage')) },
    ],
  },
];
