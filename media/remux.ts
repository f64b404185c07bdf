import { spawn } from 'node:child_process';

export interface ProbeResult {
  durationSeconds: number | null;
  streams: Array<{ codecType: string; codecName: string; width?: number; height?: number }>;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => {
      stdout += c;
    });
    p.stderr.on('data', (c) => {
      stderr = (stderr + c).slice(-4000);
    });
    p.once('error', (err) => resolve({ code: -1, stdout, stderr: err.message }));
    // 'close', not 'exit': only then has all of the output been read.
    p.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** ffprobe's duration and streams; null when the file cannot be read at all. */
export async function probeMedia(file: string): Promise<ProbeResult | null> {
  const r = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  if (r.code !== 0) return null;
  try {
    const json = JSON.parse(r.stdout);
    const duration = Number(json.format?.duration);
    return {
      durationSeconds: Number.isFinite(duration) ? duration : null,
      streams: (json.streams ?? []).map((s: Record<string, unknown>) => ({
        codecType: String(s.codec_type),
        codecName: String(s.codec_name),
        ...(typeof s.width === 'number' ? { width: s.width, height: s.height as number } : {}),
      })),
    };
  } catch {
    return null;
  }
}

/**
 * Rewrites a live-mode WebM (no duration, no cues: what was safe to write while recording) into a
 * seekable WebM with its duration, without re-encoding. Works on a file cut short by a crash too,
 * as long as FFmpeg can read its beginning.
 */
export async function remuxToSeekable(
  input: string,
  output: string,
): Promise<{ ok: boolean; error?: string }> {
  const r = await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    input,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'webm',
    output,
  ]);
  return r.code === 0 ? { ok: true } : { ok: false, error: r.stderr.trim().split('\n').slice(-3).join('\n') };
}
