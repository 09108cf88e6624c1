// Types of scripts/package.mjs for the TypeScript tests that import it.
export function packageExtension(options?: {
  build?: boolean;
  log?: (message: string) => void;
  quiet?: boolean;
}): Promise<{ packagePath: string; bytes: number; files: string[]; entries: number }>;
export function packagedFiles(): Promise<string[]>;
export function packagedReadme(markdown: string): string;
export function zipEntryCount(bytes: Buffer): number;
export const stageDir: string;
