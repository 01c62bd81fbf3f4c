import qrcode from "qrcode-generator";
import { useMemo } from "preact/hooks";

/**
 * A QR code as inline SVG (crisp on any screen, no canvas): error correction M survives a scratched
 * phone screen; the type number grows with the text (a 169-byte voucher fits version 10).
 */
export function QrCode(props: { text: string; label: string; size?: number }) {
  const svg = useMemo(() => {
    const code = qrcode(0, "M");
    code.addData(props.text, "Byte");
    code.make();
    const count = code.getModuleCount();
    const quiet = 4;
    const side = count + quiet * 2;
    let path = "";
    for (let row = 0; row < count; row++) {
      for (let col = 0; col < count; col++) {
        if (code.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
      }
    }
    return { side, path };
  }, [props.text]);
  return (
    <svg
      class="qr"
      role="img"
      aria-label={props.label}
      data-qr-text={props.text}
      viewBox={`0 0 ${svg.side} ${svg.side}`}
      width={props.size ?? 260}
      height={props.size ?? 260}
      shape-rendering="crispEdges"
    >
      <rect width={svg.side} height={svg.side} fill="#fff" />
      <path d={svg.path} fill="#000" />
    </svg>
  );
}
