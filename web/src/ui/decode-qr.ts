/** jsQR is 130 kB: loaded the first time a code is read from pixels, not with every screen that could. */
const loadJsQr = () => import("jsqr").then((module) => module.default);

/** Reads a QR code from pixels (a camera frame or a photo); jsQR runs anywhere a canvas does. */
export async function decodeQrPixels(image: ImageData): Promise<string | undefined> {
  const jsQR = await loadJsQr();
  return jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data || undefined;
}

/** A photo of a code, scaled down first: a 12-megapixel picture would take seconds on a cheap phone. */
export async function decodeQrFile(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return decodeQrPixels(context.getImageData(0, 0, width, height));
}
