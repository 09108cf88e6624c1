// Settings per document: asked of the client with workspace/configuration (scoped to the document,
// so folder settings apply) and remembered until didChangeConfiguration. Clients that cannot be
// asked give them in initializationOptions.settings and didChangeConfiguration instead.
import type { Connection } from 'vscode-languageserver/node';
import { defaultSettings, parseSettings, type ServerSettings } from './settings';

export class SettingsStore {
  /** Whether the client answers workspace/configuration. */
  canAsk = false;
  private global = defaultSettings();
  private readonly pending = new Map<string, Promise<ServerSettings>>();
  private readonly resolved = new Map<string, ServerSettings>();

  constructor(
    private readonly connection: Connection,
    private readonly logError: (what: string, e: unknown) => void,
    private readonly onResolved: (settings: ServerSettings) => void,
  ) {}

  /** The settings without the client's scope: initialization options or the last pushed ones. */
  get fallback(): ServerSettings {
    return this.global;
  }

  setFallback(raw: unknown): void {
    this.global = parseSettings(raw);
  }

  get(uri: string): Promise<ServerSettings> {
    let settings = this.pending.get(uri);
    if (!settings) {
      settings = this.ask(uri).then((s) => {
        if (this.pending.get(uri) === settings) this.resolved.set(uri, s);
        this.onResolved(s);
        return s;
      });
      this.pending.set(uri, settings);
    }
    return settings;
  }

  /** The settings already known for `uri`, without asking. */
  peek(uri: string): ServerSettings | undefined {
    return this.resolved.get(uri);
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.resolved.delete(uri);
  }

  /** didChangeConfiguration: everything is asked again; `pushed` is the notification's `settings`. */
  changed(pushed: unknown): void {
    if (!this.canAsk) this.global = parseSettings((pushed as { asyncguard?: unknown } | null | undefined)?.asyncguard);
    this.pending.clear();
    this.resolved.clear();
  }

  private async ask(uri: string): Promise<ServerSettings> {
    if (!this.canAsk) return this.global;
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'asyncguard' });
      return parseSettings(raw);
    } catch (e) {
      this.logError('reading the "asyncguard" settings', e);
      return this.global;
    }
  }
}
