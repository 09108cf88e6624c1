// Types of scripts/package.mjs for the TypeScript tests that import it.
export function packageExtension(options?: {
  build?: boolean;
  log?: (message: string) => void;
}): Promise<{ packagePath: string; bytes: number; files: string[] }>;
export function packagedFiles(): Promise<string[]>;
