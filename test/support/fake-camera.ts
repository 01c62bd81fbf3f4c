import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import qrcode from "qrcode-generator";

/** Video-range luma, as a camera gives it: black paper is not 0, white paper is not 255. */
const DARK = 16;
const LIGHT = 235;
const QUIET_ZONE = 4;

export interface FakeCamera {
  /** The .y4m file Chromium plays as its camera, in a temp folder of its own. */
  file: string;
  /** The flags that make Chromium's only camera that file, allowed without asking. */
  args: string[];
}

/**
 * A camera that films a QR code of `text` held still: Chromium's fake capture device plays a Y4M file
 * (YUV 4:2:0, looped), so the page's getUserMedia gets real frames without a camera. The code (error
 * level M, quiet zone 4, as the app draws it) is scaled to the largest whole module that fits the frame,
 * centred, grey (no colour: U and V are 128).
 */
export async function fakeCamera(text: string, options: { width?: number; height?: number; frames?: number } = {}): Promise<FakeCamera> {
  const { width = 640, height = 480, frames = 3 } = options;
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  const count = code.getModuleCount();
  const side = count + QUIET_ZONE * 2;
  const scale = Math.floor(Math.min(width, height) / side);
  if (scale < 2) throw new Error(`a ${count}-module code does not fit a ${width}×${height} frame`);
  const left = Math.floor((width - side * scale) / 2) + QUIET_ZONE * scale;
  const top = Math.floor((height - side * scale) / 2) + QUIET_ZONE * scale;

  const luma = Buffer.alloc(width * height, LIGHT);
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (!code.isDark(row, col)) continue;
      for (let y = 0; y < scale; y++) {
        const start = (top + row * scale + y) * width + left + col * scale;
        luma.fill(DARK, start, start + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);

  const folder = await mkdtemp(join(tmpdir(), "recircle-camera-"));
  const file = join(folder, "camera.y4m");
  await writeFile(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return {
    file,
    args: ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${file}`],
  };
}
