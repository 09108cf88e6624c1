// `--format sarif`: valid against the SARIF 2.1.0 JSON schema (the one Microsoft ships in
// @microsoft/jest-sarif, a draft-04 schema), with the findings, fixes and notes in it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { makeTree, runInProcess } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The schema's language-tag pattern is not valid as a unicode regular expression, hence unicodeRegExp: false.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv, ['uri', 'uri-reference', 'date-time']);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

describe('asyncguard check --format sarif', () => {
  it('is a valid SARIF 2.1.0 log with every rule, the result, its region and fixes', async () => {
    const dir = makeTree({ 'src/app.py': SEED, 'src/binary.py': Buffer.from([1, 0, 2]) });
    const r = await runInProcess(['check', '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assertValid(log);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((rule: { id: string }) => rule.id),
      ['unawaited-coroutine', 'dangling-task', 'floating-future', 'run-in-running-loop', 'floating-promise', 'misused-promise'],
    );
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(dir).href + '/' } });
    assert.deepEqual(run.results, [
      {
        ruleId: 'unawaited-coroutine',
        ruleIndex: 0,
        level: 'warning',
        message: { text: "Coroutine 'nested()' is never awaited" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' },
              region: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 13 },
            },
          },
        ],
        fixes: [
          {
            description: { text: 'Add “await”' },
            artifactChanges: [
              {
                artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' },
                replacements: [{ deletedRegion: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 5 }, insertedContent: { text: 'await ' } }],
              },
            ],
            properties: { safe: true },
          },
          {
            description: { text: 'Suppress with “# asyncguard: ignore[unawaited-coroutine]”' },
            artifactChanges: [
              {
                artifactLocation: { uri: 'src/app.py', uriBaseId: '%SRCROOT%' },
                replacements: [
                  {
                    deletedRegion: { startLine: 5, startColumn: 13, endLine: 5, endColumn: 13 },
                    insertedContent: { text: '  # asyncguard: ignore[unawaited-coroutine]' },
                  },
                ],
              },
            ],
            properties: { safe: false },
          },
        ],
      },
    ]);
    assert.deepEqual(run.invocations, [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: { text: 'skipped: binary file (contains NUL bytes)' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/binary.py', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });

  it('is valid with no results, with severities mapped to levels, and with paths outside the working folder', async () => {
    const dir = makeTree({
      'proj/pyproject.toml': '[tool.asyncguard.severity]\n"unawaited-coroutine" = "hint"\n',
      'proj/a b#1.py': SEED,
      'elsewhere/ok.py': 'x = 1\n',
    });
    const r = await runInProcess(['check', '--format', 'sarif', '../proj'], join(dir, 'elsewhere'));
    const log = JSON.parse(r.stdout);
    assertValid(log);
    const result = log.runs[0].results[0];
    assert.equal(result.level, 'note');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(join(dir, 'proj', 'a b#1.py')).href });
    const clean = await runInProcess(['check', '--format', 'sarif'], join(dir, 'elsewhere'));
    const cleanLog = JSON.parse(clean.stdout);
    assertValid(cleanLog);
    assert.deepEqual(cleanLog.runs[0].results, []);
    assert.equal(clean.code, 0);
  });

  it('the schema check can fail: a log missing its version is rejected', () => {
    assert.equal(validate({ runs: [] }), false);
  });
});
