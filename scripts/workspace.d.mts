// Types of workspace.mjs, for the tests that import it.
export const repoRoot: string;
export interface WorkspaceEntry {
  subpath: string;
  specifier: string;
  importTypes?: string;
  importDefault?: string;
  requireDefault?: string;
}
export interface WorkspacePackage {
  folder: string;
  name: string;
  dir: string;
  json: Record<string, unknown>;
  entries: WorkspaceEntry[];
}
export function listPackages(): WorkspacePackage[];
export function selectPackages(argv?: string[]): WorkspacePackage[];
export function withInternalDependencies(selected: WorkspacePackage[], all?: WorkspacePackage[]): WorkspacePackage[];
