// Regenerates the pass model's icon and logo PNGs (plain shapes in the brand colour, no fonts
// needed): `node templates/passes/make-images.js`. Replace them with real artwork any time.
const { PNG } = require('pngjs');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const BRAND = [15, 118, 110];
const WHITE = [255, 255, 255];
const dir = join(__dirname, 'loyalty.pass');

/** A rounded square in the brand colour with a white "F" made of two bars. */
function icon(size) {
  const png = new PNG({ width: size, height: size });
  const r = size * 0.22;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const cx = Math.min(Math.max(x, r), size - 1 - r);
      const cy = Math.min(Math.max(y, r), size - 1 - r);
      const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
      const u = x / size;
      const v = y / size;
      const f =
        (u >= 0.3 && u < 0.44 && v >= 0.22 && v < 0.78) ||
        (u >= 0.3 && u < 0.72 && v >= 0.22 && v < 0.34) ||
        (u >= 0.3 && u < 0.64 && v >= 0.46 && v < 0.57);
      const [R, G, B] = f ? WHITE : BRAND;
      png.data[i] = R;
      png.data[i + 1] = G;
      png.data[i + 2] = B;
      png.data[i + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

/** The logo strip: the icon mark on a transparent background, left aligned. */
function logo(width, height) {
  const png = new PNG({ width, height });
  const mark = PNG.sync.read(icon(height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < height; x++) {
      const s = (y * height + x) * 4;
      const d = (y * width + x) * 4;
      mark.data.copy(png.data, d, s, s + 4);
    }
  }
  return PNG.sync.write(png);
}

for (const [name, size] of [
  ['icon.png', 29],
  ['icon@2x.png', 58],
  ['icon@3x.png', 87],
]) {
  writeFileSync(join(dir, name), icon(size));
}
for (const [name, w, h] of [
  ['logo.png', 160, 50],
  ['logo@2x.png', 320, 100],
  ['logo@3x.png', 480, 150],
]) {
  writeFileSync(join(dir, name), logo(w, h));
}
