// The language status item: the server's state and how many AsyncGuard problems are reported.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, DOCUMENT_SELECTOR } from './languages';
import type { ServerState } from './serverController';

export interface FindingCount {
  problems: number;
  files: number;
}

/** Counts the diagnostics AsyncGuard published, over every file VS Code knows about. */
export function countFindings(): FindingCount {
  let problems = 0;
  let files = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
    problems += ours;
    if (ours > 0) files++;
  }
  return { problems, files };
}

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly subscription: vscode.Disposable;
  private state: ServerState = 'stopped';
  private count: FindingCount = { problems: 0, files: 0 };

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('asyncguard.status', DOCUMENT_SELECTOR);
    this.item.name = 'AsyncGuard';
    this.item.command = { command: 'asyncguard.showOutput', title: vscode.l10n.t('Show Output') };
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => this.refreshCount());
    this.refreshCount();
  }

  get text(): string {
    return this.item.text;
  }

  get detail(): string | undefined {
    return this.item.detail;
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private refreshCount(): void {
    this.count = countFindings();
    this.render();
  }

  private render(): void {
    const { problems, files } = this.count;
    this.item.busy = this.state === 'starting';
    this.item.severity = this.state === 'stopped' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    if (this.state === 'starting') {
      this.item.text = vscode.l10n.t('AsyncGuard: starting');
      this.item.detail = undefined;
    } else if (this.state === 'stopped') {
      this.item.text = vscode.l10n.t('AsyncGuard: stopped');
      this.item.detail = vscode.l10n.t('Click to see the output');
    } else {
      this.item.text =
        problems === 1 ? vscode.l10n.t('AsyncGuard: 1 problem') : vscode.l10n.t('AsyncGuard: {0} problems', problems);
      this.item.detail = files === 1 ? vscode.l10n.t('in 1 file') : vscode.l10n.t('in {0} files', files);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
