// Types of scripts/system-packages.mjs for the TypeScript tests that import it.
export interface Tool {
  command: string;
  package: string;
}
export const BUILD_TOOLS: Tool[];
export function onPath(command: string, path?: string): boolean;
export function missingPackages(tools: Tool[], has?: (command: string) => boolean): string[];
export type InstallPlan =
  | { kind: 'ready' }
  | { kind: 'install'; packages: string[]; commands: string[][] }
  | { kind: 'stop'; packages: string[]; command: string | undefined };
export function installPlan(packages: string[], machine: { root: boolean; sudo: boolean; apt: boolean }): InstallPlan;
export function machine(): { root: boolean; sudo: boolean; apt: boolean };
export function ensurePackages(packages: string[], options?: { log?: (message: string) => void; stdio?: 'inherit' | 'pipe' }): string | undefined;
export function ensureCommand(command: string, pkg?: string, options?: { log?: (message: string) => void; stdio?: 'inherit' | 'pipe' }): string | undefined;
