/** What POST /api/preview/:sid answers (src/render/preview.ts), and what the editor's player reads. */
export interface PreviewView {
  draft_version: number;
  status: 'rendering' | 'done' | 'failed';
  progress: number;
  width: number;
  height: number;
  url?: string;
  /** A representative frame (JPEG), so the player shows the cut before it plays. */
  poster_url?: string;
  error?: string;
}
