import { useEffect, useState } from "react";
import QRCode from "qrcode";
import { Loading } from "../../components/states";

/** `value` as a QR code, drawn here (no service asked): an SVG image with dark modules on white, and
 * a quiet zone, as authenticator apps scan best. */
export function QrCode({ value, label, size = 208 }: { value: string; label: string; size?: number }) {
  const [svg, setSvg] = useState<{ value: string; image: string } | null>(null);
  useEffect(() => {
    let current = true;
    void QRCode.toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 4 }).then((image) => {
      if (current) {
        setSvg({ value, image });
      }
    });
    return () => {
      current = false;
    };
  }, [value]);
  if (svg?.value !== value) {
    return <Loading />;
  }
  return (
    <img
      className="qr"
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.image)}`}
      alt={label}
      width={size}
      height={size}
      data-testid="qr-code"
    />
  );
}
