/**
 * Captions from the user's script: the words and punctuation of the script, timed by the speech
 * (align-script.ts), laid out as add_captions lays out recognised words. The script covers the
 * main track's clips in timeline order.
 */
import { z } from 'zod';
import { addCaptions, addCaptionsArgs } from './add-captions.ts';
import { alignScript, MAX_ALIGN_WORDS } from './align-script.ts';
import { defineOp } from './define-op.ts';
import { mainTrackSources } from './timeline.ts';
import { type AnalysisWord, type MediaAnalysis, OpError } from './types.ts';

export const captionsFromScriptArgs = addCaptionsArgs.extend({
  script: z.string().trim().min(1).max(100_000).describe('The text the speaker read, as it should appear'),
});

export const captionsFromScript = defineOp({
  name: 'captions_from_script',
  description: "Captions with the exact words of the user's script, timed by the speech (replaces existing captions).",
  args: captionsFromScriptArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx) {
    const language = args.language ?? ctx.language;
    const words: (AnalysisWord & { src: string })[] = [];
    for (const src of mainTrackSources(draft))
      for (const w of ctx.analysis[src]?.words ?? []) words.push({ ...w, src });
    if (words.length === 0)
      throw new OpError('no_speech', 'No speech was found to time the script by.', '没有找到可以对齐脚本的语音。');
    if (words.length > MAX_ALIGN_WORDS || args.script.length > MAX_ALIGN_WORDS * 12)
      throw new OpError(
        'script_too_long',
        `Scripts can be aligned up to ${MAX_ALIGN_WORDS} words at a time; split the video or the script.`,
        `一次最多对齐 ${MAX_ALIGN_WORDS} 个词；请把视频或脚本分开。`,
      );
    const aligned = alignScript(args.script, words, language);
    const analysis: Record<string, MediaAnalysis> = {};
    for (const src of mainTrackSources(draft))
      analysis[src] = {
        ...(ctx.analysis[src] ?? { pauses: [], speech: [] }),
        words: aligned.filter((w) => w.src === src),
      } as MediaAnalysis;
    const { script: _script, ...captionArgs } = args;
    return addCaptions.apply(draft, captionArgs, { ...ctx, language, analysis });
  },
});
