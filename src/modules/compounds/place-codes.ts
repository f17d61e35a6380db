import { COMPOUND_CODE, normaliseCode } from './storage/codes';
import { GATE_ID } from './compounds.schema';

/** A gate's printable place code: the text riders type (compound code and gate id) and the QR content. */
export function placeCodeOf(compoundCode: string, gateId: string, publicBaseUrl: string): { code: string; qrContent: string } {
  const code = `${compoundCode}-${gateId.toUpperCase()}`;
  return { code, qrContent: publicBaseUrl ? `${publicBaseUrl.replace(/\/$/, '')}/g/${code}` : `NXG:${code}` };
}

/** Reads a place code as typed or scanned (the text, the QR URL or NXG: form); null when it is not one. */
export function parsePlaceCode(raw: string): { compoundCode: string; gateId: string } | null {
  const text = raw.normalize('NFKC').trim();
  const m = /(?:^|\/g\/|^NXG:)([0-9A-Za-z]{8})[\s-]*([0-9A-Za-z]{1,8})$/i.exec(text);
  if (!m) return null;
  const compoundCode = normaliseCode(m[1] as string);
  const gateId = (m[2] as string).toLowerCase();
  return COMPOUND_CODE.test(compoundCode) && GATE_ID.test(gateId) ? { compoundCode, gateId } : null;
}
