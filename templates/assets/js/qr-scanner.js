// Camera QR scanning for the till. getUserMedia feeds a <video>; each frame is drawn scaled to
// about 480 px wide (faster, and it smooths the noise of a phone screen) and decoded with the
// native BarcodeDetector when the browser has one, else the `barcode-detector` ponyfill (ZXing
// in WebAssembly, the .wasm served by our server, never a CDN), else jsQR.
//
//   const scanner = FideliaScanner.create({ video, onCode, onError, config });
//   await scanner.start();   scanner.stop();
(function () {
  'use strict';

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const el = document.createElement('script');
      el.src = src;
      el.onload = () => resolve();
      el.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(el);
    });
  }

  async function nativeDetector() {
    const Native = window.BarcodeDetector;
    if (!Native || !Native.getSupportedFormats) return null;
    const formats = await Native.getSupportedFormats();
    if (!formats.includes('qr_code')) return null;
    const detector = new Native({ formats: ['qr_code'] });
    return {
      name: 'native',
      detect: async (canvas) => {
        const found = await detector.detect(canvas);
        return found.length ? found[0].rawValue : null;
      },
    };
  }

  async function zxingDetector(config) {
    if (!window.BarcodeDetectionAPI) await loadScript(config.detector);
    const api = window.BarcodeDetectionAPI;
    await api.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) =>
          path.endsWith('.wasm') ? config.wasmBase + path : prefix + path,
      },
      fireImmediately: true,
    });
    const detector = new api.BarcodeDetector({ formats: ['qr_code'] });
    return {
      name: 'zxing-wasm',
      detect: async (canvas, ctx) => {
        const found = await detector.detect(ctx.getImageData(0, 0, canvas.width, canvas.height));
        return found.length ? found[0].rawValue : null;
      },
    };
  }

  async function jsqrDetector(config) {
    if (!window.jsQR) await loadScript(config.jsqr);
    return {
      name: 'jsqr',
      detect: async (canvas, ctx) => {
        const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: 'dontInvert',
        });
        return found ? found.data : null;
      },
    };
  }

  let detectorPromise = null;
  /** The first decoder that loads, chosen once per page. */
  function detectorFor(config) {
    if (!detectorPromise) {
      detectorPromise = (async () => {
        for (const make of [nativeDetector, zxingDetector, jsqrDetector]) {
          try {
            const detector = await make(config);
            if (detector) return detector;
          } catch (e) {
            // try the next decoder
          }
        }
        throw new Error('no QR decoder available');
      })();
    }
    return detectorPromise;
  }

  function create(options) {
    const config = options.config;
    const video = options.video;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let stream = null;
    let running = false;
    let timer = null;

    async function tick(detector) {
      if (!running) return;
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const scale = Math.min(1, config.width / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        let value = null;
        try {
          value = await detector.detect(canvas, ctx);
        } catch (e) {
          value = null;
        }
        if (value && running) {
          stop();
          options.onCode(value, detector.name);
          return;
        }
      }
      timer = setTimeout(() => void tick(detector), 80);
    }

    async function start() {
      if (running) return;
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        throw new Error('camera-unavailable');
      }
      const detectorReady = detectorFor(config);
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: { ideal: 'environment' },
          width: { ideal: 1280 },
          height: { ideal: 720 },
        },
      });
      video.srcObject = stream;
      video.setAttribute('playsinline', '');
      video.muted = true;
      await video.play();
      running = true;
      let detector;
      try {
        detector = await detectorReady;
      } catch (e) {
        stop();
        throw e;
      }
      video.dataset.decoder = detector.name;
      void tick(detector);
    }

    function stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.srcObject = null;
    }

    return { start, stop, isRunning: () => running };
  }

  window.FideliaScanner = { create, detectorFor };
})();
