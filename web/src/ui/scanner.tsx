import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { decodeQrFile, decodeQrPixels } from "./decode-qr.js";

/**
 * Gets a code into the page three ways, because counters differ: the camera (live), a photo of the code,
 * or typing/pasting it. `onCode` gets the text; the caller decides whether it means anything.
 */
export function Scanner(props: { label: string; onCode: (text: string) => void; placeholder?: string }) {
  const [typed, setTyped] = useState("");
  const [camera, setCamera] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = (text: string) => {
    const trimmed = text.trim();
    if (trimmed !== "") props.onCode(trimmed);
  };
  return (
    <div class="scanner">
      <div class="scanner-buttons">
        <button type="button" class="secondary" onClick={() => setCamera(!camera)}>
          {t("scan.camera")}
        </button>
        <label class="button secondary">
          {t("scan.photo")}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            aria-label={`${props.label}: ${t("scan.photo")}`}
            onChange={async (event) => {
              const file = (event.currentTarget as HTMLInputElement).files?.[0];
              if (!file) return;
              const text = await decodeQrFile(file).catch(() => undefined);
              if (text) {
                setProblem(undefined);
                submit(text);
              } else setProblem(t("scan.none"));
            }}
          />
        </label>
      </div>
      {camera && (
        <CameraScan
          onCode={(text) => {
            setCamera(false);
            submit(text);
          }}
          onProblem={setProblem}
        />
      )}
      <form
        class="scanner-typed"
        onSubmit={(event) => {
          event.preventDefault();
          submit(typed);
        }}
      >
        <label>
          {props.label}
          <input
            value={typed}
            placeholder={props.placeholder}
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">{t("scan.use")}</button>
      </form>
      {problem && <p class="problem">{problem}</p>}
    </div>
  );
}

/**
 * The back camera, a frame every 250 ms: enough to catch a steady code without heating the phone. The camera
 * goes off as soon as a code is read, and when the scanner closes, even while getUserMedia is still waiting
 * (its permission prompt up): a stream that arrives after that is stopped at once, never left running.
 */
function CameraScan(props: { onCode: (text: string) => void; onProblem: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let closed = false;
    const stop = () => {
      closed = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    const canvas = document.createElement("canvas");
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) return props.onProblem(t("scan.unsupported"));
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      if (closed) return stop();
      const element = video.current!;
      element.srcObject = stream;
      await element.play();
      if (closed) return;
      let busy = false;
      timer = window.setInterval(async () => {
        if (closed || element.videoWidth === 0 || busy) return;
        busy = true;
        canvas.width = element.videoWidth;
        canvas.height = element.videoHeight;
        const context = canvas.getContext("2d", { willReadFrequently: true })!;
        context.drawImage(element, 0, 0);
        const text = await decodeQrPixels(context.getImageData(0, 0, canvas.width, canvas.height)).finally(() => (busy = false));
        // Once: ticks until the scanner closes (a render later) do not hand the code over again.
        if (!text || closed) return;
        stop();
        props.onCode(text);
      }, 250);
    })().catch((error: unknown) => {
      // Closing the scanner interrupts play(): that is not a problem to show.
      if (closed) return;
      // A refused permission is the person's (or the browser's settings'), not a phone that cannot scan.
      props.onProblem(error instanceof DOMException && error.name === "NotAllowedError" ? t("scan.denied") : t("scan.unsupported"));
    });
    return stop;
  }, []);
  return <video ref={video} class="camera" muted playsinline />;
}
