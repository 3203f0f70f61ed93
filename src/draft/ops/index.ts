/** The registry of edit operations and control tools, by name (the planners' vocabulary). */
import { addCaptions } from './add-captions.ts';
import { addMusic } from './add-music.ts';
import { addText, setTitle } from './add-text.ts';
import { denoise, mute, normalizeLoudness, setVolume } from './audio-ops.ts';
import { captionsFromCues } from './captions-from-cues.ts';
import { captionsFromScript } from './captions-from-script.ts';
import { appendClips, placeMedia, reorder } from './clips.ts';
import { CONTROL_TOOLS, type ControlToolName } from './control.ts';
import { correctCaptions, setCaptionText } from './correct-captions.ts';
import { cutRange, trimTo } from './cut-range.ts';
import { cutWords } from './cut-words.ts';
import { fade } from './fade.ts';
import { removeFillers } from './remove-fillers.ts';
import { removeRetakes } from './remove-retakes.ts';
import { removeTrack } from './remove-track.ts';
import { respell } from './respell.ts';
import { restoreWords } from './restore-words.ts';
import { setAspect } from './set-aspect.ts';
import { setSpeed } from './set-speed.ts';
import { trimPauses } from './trim-pauses.ts';
import type { ControlTool, EditOp } from './types.ts';
import { useMedia } from './use-media.ts';

export const EDIT_OPS: Record<string, EditOp> = Object.fromEntries(
  [
    placeMedia,
    trimPauses,
    removeFillers,
    addCaptions,
    addText,
    setTitle,
    addMusic,
    setAspect,
    trimTo,
    cutRange,
    setSpeed,
    fade,
    setVolume,
    mute,
    normalizeLoudness,
    denoise,
    appendClips,
    reorder,
    removeTrack,
    cutWords,
    restoreWords,
    correctCaptions,
    setCaptionText,
    captionsFromScript,
    removeRetakes,
    useMedia,
    captionsFromCues,
    respell,
  ].map((op) => [op.name, op as unknown as EditOp]),
);

export type { ControlTool, EditOp, MediaAnalysis, MediaInfo, OpContext } from './types.ts';
export { OpError } from './types.ts';
export { CONTROL_TOOLS, type ControlToolName };

export function isControlTool(name: string): name is ControlToolName {
  return Object.hasOwn(CONTROL_TOOLS, name);
}

/** Every tool a planner may call, edit or control. */
export function allTools(): (EditOp | ControlTool)[] {
  return [...Object.values(EDIT_OPS), ...Object.values(CONTROL_TOOLS)];
}
