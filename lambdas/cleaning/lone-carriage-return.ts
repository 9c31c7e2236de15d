import type { Rejection } from '../domain/reasons';

const LONE_CR = /\r(?!\n)/;

/**
 * A record with a CR not followed by LF in a field. The file's line breaks are LF or CRLF (or, for
 * a whole file of bare CRs, CR: then no field holds one), so such a CR is a line break of another
 * style, or a stray byte: the record may join several users' lines. Rejected naming it, rather than
 * split (a second line-break rule would make line numbers ambiguous) or kept (the fields then hold
 * the next user's data). Shared by the single path (DayCleaner) and the scale-out path (Prepare).
 */
export function loneCarriageReturn(fields: readonly string[]): Rejection | undefined {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (field.indexOf('\r') !== -1 && LONE_CR.test(field)) {
      return {
        reason: 'lone_carriage_return',
        detail: `field ${i + 1} holds a CR not followed by LF: two lines may have been joined`,
      };
    }
  }
  return undefined;
}
