import { describe, expect, it } from 'vitest';
import { parseCommandLine, splitFilesAndPrompt } from '../../../cli/args.ts';
import { UsageError } from '../../../cli/errors.ts';

describe('parseCommandLine', () => {
  it('parses edit with files, prompt and flags in any order', () => {
    const p = parseCommandLine(['edit', 'a.mp4', '-o', 'out.mp4', 'b.mov', 'trim the pauses', '--json', '--verbose']);
    expect(p.command).toBe('edit');
    expect(p.positionals).toEqual(['a.mp4', 'b.mov', 'trim the pauses']);
    expect(p.options).toMatchObject({ output: 'out.mp4', json: true, verbose: true, render: true, captions: true });
  });

  it('reads --no-render, --session, --base-url and --quality', () => {
    const p = parseCommandLine([
      'render',
      '--session',
      's_1',
      '--base-url',
      'http://x:1/',
      '--quality',
      'low',
      '--no-render',
    ]);
    expect(p.options).toMatchObject({ session: 's_1', baseUrl: 'http://x:1/', quality: 'low', render: false });
  });

  it('shows help with no command or -h', () => {
    expect(parseCommandLine([]).command).toBe('help');
    expect(parseCommandLine(['edit', '-h']).command).toBe('help');
  });

  it('rejects unknown commands, flags and qualities with a usage error', () => {
    expect(() => parseCommandLine(['frobnicate'])).toThrow(UsageError);
    expect(() => parseCommandLine(['edit', '--frob'])).toThrow(/Unknown option '--frob'/);
    expect(() => parseCommandLine(['render', '--quality', 'ultra'])).toThrow(/--quality/);
  });
});

describe('splitFilesAndPrompt', () => {
  it('takes the last positional as the prompt', () => {
    expect(splitFilesAndPrompt(['a.mp4', 'b.mp4', 'add captions'], undefined)).toEqual({
      files: ['a.mp4', 'b.mp4'],
      prompt: 'add captions',
    });
  });
  it('uses -m as the prompt when given', () => {
    expect(splitFilesAndPrompt(['a.mp4'], 'trim')).toEqual({ files: ['a.mp4'], prompt: 'trim' });
  });
  it('needs a file and a prompt', () => {
    expect(() => splitFilesAndPrompt(['only-prompt'], undefined)).toThrow(UsageError);
  });
});
