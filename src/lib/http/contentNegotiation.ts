/**
 * Which of a route's formats a request's Accept header asks for (RFC 9110 §12.5.1): the one with
 * the highest quality, the route's own order breaking ties; `*\/*` and `type/*` match; no header
 * means the first format.
 * @throws NotAcceptableError when the header accepts none of them.
 *
 * Not `negotiator` (nor @middy/http-content-negotiation, built on it): between formats of equal
 * quality it prefers the one listed first in the Accept header, where this API documents the
 * route's own order (`Accept: text/csv, application/json` is JSON here, CSV there). RFC 9110
 * gives the order of the header no meaning; the route's order keeps an answer stable whichever
 * way a client happens to write the header.
 */
import { NotAcceptableError } from './httpErrors.js';

export const negotiate = <Format extends string>(
  accept: string | undefined,
  formats: readonly Format[],
): Format => {
  const first = formats[0];
  if (first === undefined) throw new Error('a route answers in one format at least');
  if (!accept?.trim()) return first;
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return { range: range.trim(), quality: Number.isFinite(quality) ? quality : 0 };
  });
  const qualityOf = (format: Format) => {
    const [type] = format.split('/');
    const matching = ranges.filter((r) => r.range === format || r.range === `${type}/*` || r.range === '*/*');
    // The most specific range decides (text/csv;q=0 beats */*).
    const specific = matching.sort((a, b) => specificity(b.range) - specificity(a.range))[0];
    return specific?.quality ?? 0;
  };
  let best: Format | undefined;
  let bestQuality = 0;
  for (const format of formats) {
    const quality = qualityOf(format);
    if (quality > bestQuality) {
      best = format;
      bestQuality = quality;
    }
  }
  if (!best) throw new NotAcceptableError(formats);
  return best;
};

const specificity = (range: string) => (range === '*/*' ? 0 : range.endsWith('/*') ? 1 : 2);
