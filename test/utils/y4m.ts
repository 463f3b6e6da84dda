import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface ClipOptions {
  width?: number;
  height?: number;
  /** Chromium loops the file; a few frames are enough (each 640×480 frame is 460 KB). */
  frames?: number;
  fps?: number;
  /** Side of the QR image on the frame, in pixels (nearest-neighbour scaling). */
  size?: number;
}

/**
 * A fake-camera clip for Chromium's `--use-file-for-fake-video-capture`: the PNG (e.g. a member's
 * QR from `/api/members/:id/card/qr.png`) centred on a white frame, written as YUV4MPEG2 with
 * 4:2:0 chroma (BT.601 limited range). Successive frames shift the image by a pixel or two, like
 * a hand holding a phone. No ffmpeg needed.
 */
export function writeY4mClip(png: Buffer, file: string, options: ClipOptions = {}): void {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const frames = options.frames ?? 20;
  const fps = options.fps ?? 10;
  const size = Math.min(options.size ?? 300, width - 8, height - 8);
  const image = PNG.sync.read(png);

  const chunks: Buffer[] = [
    Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`),
  ];
  for (let f = 0; f < frames; f++) {
    const dx = Math.round(Math.sin(f) * 2);
    const dy = Math.round(Math.cos(f) * 2);
    const rgba = frame(image, width, height, size, dx, dy);
    chunks.push(Buffer.from('FRAME\n'), toI420(rgba, width, height));
  }
  writeFileSync(file, Buffer.concat(chunks));
}

/** RGBA of a white frame with the image scaled to `size`×`size` at the centre (+dx, +dy). */
function frame(image: PNG, width: number, height: number, size: number, dx: number, dy: number) {
  const out = Buffer.alloc(width * height * 4, 255);
  const left = Math.floor((width - size) / 2) + dx;
  const top = Math.floor((height - size) / 2) + dy;
  for (let y = 0; y < size; y++) {
    const sy = Math.floor((y * image.height) / size);
    for (let x = 0; x < size; x++) {
      const sx = Math.floor((x * image.width) / size);
      const s = (sy * image.width + sx) * 4;
      const d = ((top + y) * width + (left + x)) * 4;
      // Composite on white by alpha.
      const a = image.data[s + 3] / 255;
      out[d] = Math.round(image.data[s] * a + 255 * (1 - a));
      out[d + 1] = Math.round(image.data[s + 1] * a + 255 * (1 - a));
      out[d + 2] = Math.round(image.data[s + 2] * a + 255 * (1 - a));
    }
  }
  return out;
}

/** RGBA → planar Y, U, V (4:2:0, chroma averaged over each 2×2 block), BT.601 limited range. */
export function toI420(rgba: Buffer, width: number, height: number): Buffer {
  const ySize = width * height;
  const cw = width >> 1;
  const ch = height >> 1;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0, p = 0; i < ySize; i++, p += 4) {
    const r = rgba[p];
    const g = rgba[p + 1];
    const b = rgba[p + 2];
    out[i] = clamp(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256);
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [ox, oy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]) {
        const p = ((2 * y + oy) * width + (2 * x + ox)) * 4;
        r += rgba[p];
        g += rgba[p + 1];
        b += rgba[p + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[ySize + y * cw + x] = clamp(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
      out[ySize + cw * ch + y * cw + x] = clamp(
        128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256,
      );
    }
  }
  return out;
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
