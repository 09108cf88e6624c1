// Workspace trust: settings that name a program to run are honoured only in trusted workspaces.
// VS Code already hides workspace values of `restrictedConfigurations` from an untrusted workspace;
// this also keeps user-level values from reaching the server before trust is granted.

/** Settings (relative to the `asyncguard` section) that can make the server run a program. */
export const EXECUTABLE_SETTINGS = ['interpreterPath'] as const;

/** Returns the configuration result for one `workspace/configuration` item with those settings removed. */
export function withoutExecutableSettings(section: string | undefined, value: unknown): unknown {
  if (section === undefined || section === '') {
    if (!isObject(value) || !isObject(value.asyncguard)) return value;
    return { ...value, asyncguard: withoutExecutableSettings('asyncguard', value.asyncguard) };
  }
  if (section === 'asyncguard') {
    if (!isObject(value)) return value;
    const copy: Record<string, unknown> = { ...value };
    for (const key of EXECUTABLE_SETTINGS) delete copy[key];
    return copy;
  }
  if (EXECUTABLE_SETTINGS.some((key) => section === `asyncguard.${key}`)) return null;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
