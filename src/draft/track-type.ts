/** Track types as the wire format numbers them (docs/api.md): 0 video, 1 audio, 7 text. */
export const TrackType = { video: 0, audio: 1, text: 7 } as const;
export type TrackTypeCode = (typeof TrackType)[keyof typeof TrackType];
