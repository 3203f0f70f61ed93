/** Tools that are not draft edits: the turn runner carries them out (history, credits, render). */
import { z } from 'zod';
import type { ControlTool } from './types.ts';

const none = z.object({});

export const CONTROL_TOOLS = {
  undo: { name: 'undo', description: 'Undo the last edit.', args: none },
  redo: { name: 'redo', description: 'Redo the edit undone last.', args: none },
  show_state: { name: 'show_state', description: 'Show the tracks of the timeline.', args: none },
  show_credits: { name: 'show_credits', description: 'Show the credit balance.', args: none },
  upload_help: { name: 'upload_help', description: 'Explain how to upload files to this session.', args: none },
  reanalyse: {
    name: 'reanalyse',
    description:
      "Recognise the speech again, listening for the session's caption corrections (names, brands), and remake the captions.",
    args: none,
  },
  render: {
    name: 'render',
    description: 'Export the timeline as an MP4 and return download and share links.',
    args: z.object({
      format: z.literal('mp4').default('mp4'),
      quality: z.enum(['low', 'medium', 'high']).default('high'),
    }),
  },
} satisfies Record<string, ControlTool>;

export type ControlToolName = keyof typeof CONTROL_TOOLS;
