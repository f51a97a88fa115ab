/** The name a downloaded CSV is saved under: which query, which window, which execution. */
export const resultFileName = (
  query: string,
  window: { from: string; to: string } | undefined,
  executionId: string,
) => {
  const stamp = (iso: string) => iso.replaceAll(/[-:]/g, '');
  const span = window ? `_${stamp(window.from)}-${stamp(window.to)}` : '';
  return `trailhound_${query}${span}_${executionId.slice(0, 8)}.csv`;
};
