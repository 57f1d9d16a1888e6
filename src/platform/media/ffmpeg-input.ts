/** An ffmpeg input: a local file, read once or (`loop`) over and over until the filters have what they need. */
export type FfmpegInput = string | { path: string; loop: true };

/**
 * The decoder half of every ffmpeg command we run: errors only, no keyboard, overwrite, and each
 * input read as a local file (the protocol whitelist), so no file, however crafted (a playlist
 * disguised as a video, a reference movie), can make ffmpeg fetch a URL or read another protocol.
 * `lavfi` is added only for commands whose generated inputs (silence) come from a filter source;
 * `log: 'info'` only for one whose filters report what they measured (and then without banner or progress).
 */
export function ffmpegInputArgs(inputs: FfmpegInput[], opts: { lavfi?: boolean; log?: 'info' } = {}): string[] {
  return [
    ...(opts.log ? ['-v', opts.log, '-hide_banner', '-nostats'] : ['-v', 'error']),
    '-nostdin',
    '-y',
    '-protocol_whitelist',
    opts.lavfi ? 'file,lavfi' : 'file',
    ...inputs.flatMap((i) => (typeof i === 'string' ? ['-i', `file:${i}`] : ['-stream_loop', '-1', '-i', `file:${i.path}`])),
  ];
}
