// The documentation pages shipped with AsyncGuard (docs/**/NAME.md, with NAME.zh-CN.md beside an
// English page it translates), found from wherever the code runs: the source tree, the bundles in
// server/out, or an installed extension. Rule pages live in docs/rules; other pages (concepts)
// anywhere under docs/. The CLI prints them and the language server links to them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type DocLanguage = 'en' | 'zh-CN';
export const DOC_LANGUAGES: readonly DocLanguage[] = ['en', 'zh-CN'];

let cachedDir: string | null | undefined;

/** The nearest `docs` folder holding `rules` at or above `from` (this module's folder by default). */
export function docsDir(from = __dirname): string | undefined {
  if (cachedDir !== undefined && from === __dirname) return cachedDir ?? undefined;
  let dir = from;
  let found: string | undefined;
  for (;;) {
    if (existsSync(join(dir, 'docs', 'rules'))) {
      found = join(dir, 'docs');
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (from === __dirname) cachedDir = found ?? null;
  return found;
}

/** The nearest `docs/rules` folder at or above `from`. */
export function rulesDocsDir(from = __dirname): string | undefined {
  const docs = docsDir(from);
  return docs && join(docs, 'rules');
}

/** The file name of page `name` in `language`. */
export function pageFileName(name: string, language: DocLanguage): string {
  return language === 'en' ? `${name}.md` : `${name}.${language}.md`;
}

/** Where page `name` is: docs/rules first, then docs/, then one folder below docs/. */
export function findPage(name: string, dir: string | undefined, language: DocLanguage = 'en'): string | undefined {
  if (!dir || !/^[a-z0-9][a-z0-9-]*$/i.test(name)) return undefined;
  const file = pageFileName(name, language);
  const folders = [join(dir, 'rules'), dir];
  try {
    for (const entry of readdirSync(dir).sort()) {
      const sub = join(dir, entry);
      if (entry !== 'rules' && statSync(sub).isDirectory()) folders.push(sub);
    }
  } catch {
    // an unreadable docs folder has only the pages found above
  }
  return folders.map((f) => join(f, file)).find((p) => existsSync(p));
}

/** The names of every English page (the rules and the others), sorted. */
export function pageNames(dir: string | undefined): string[] {
  if (!dir) return [];
  const names = new Set<string>();
  const collect = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const m = /^([a-z0-9][a-z0-9-]*)\.md$/i.exec(entry);
      if (m && m[1] !== 'README') names.add(m[1]);
    }
  };
  try {
    collect(dir);
    for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isDirectory()) collect(join(dir, entry));
  } catch {
    // nothing more to list
  }
  return [...names].sort();
}

/** A page's text in `language`, falling back to English; undefined when it is not shipped. */
export function readPage(name: string, dir: string | undefined, language: DocLanguage = 'en'): { file: string; language: DocLanguage; text: string } | undefined {
  for (const lang of language === 'en' ? (['en'] as const) : ([language, 'en'] as const)) {
    const file = findPage(name, dir, lang);
    if (file) return { file, language: lang, text: readFileSync(file, 'utf8') };
  }
  return undefined;
}

/** The documentation language a locale asks for (LANG=zh_CN.UTF-8, VS Code's zh-cn): Simplified Chinese or English. */
export function languageOfLocale(locale: string | undefined): DocLanguage {
  const l = (locale ?? '').toLowerCase().replace('_', '-').split('.')[0];
  return l === 'zh' || l === 'zh-cn' || l === 'zh-hans' || l === 'zh-sg' || l.startsWith('zh-hans-') ? 'zh-CN' : 'en';
}
