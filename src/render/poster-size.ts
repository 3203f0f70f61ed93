/**
 * The share poster's pixel size, shared by the engine (which scales the frame) and the Worker
 * (which states og:image:width/height without opening the JPEG): the video's shape, scaled down
 * to fit 1280×1280 (unfurlers show ~1200 px at most; bigger only costs bytes), even sides.
 */
export const POSTER_MAX_SIDE = 1280;

export function posterSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, POSTER_MAX_SIDE / Math.max(width, height));
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}
