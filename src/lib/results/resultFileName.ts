/** The name a downloaded CSV is saved under: which query, which window, which execution. */
export const resultFileName = (execution: {
  readonly query: string;
  readonly label?: string | undefined;
  readonly window?: { readonly from: string; readonly to: string } | undefined;
  readonly executionId: string;
}) => {
  const { query, label, window, executionId } = execution;
  const stamp = (iso: string) => iso.replaceAll(/[-:]/g, '');
  const span = window ? `_${stamp(window.from)}-${stamp(window.to)}` : '';
  // A label may hold / : # (a ticket id): none of them belongs in a file name.
  const named = label ? `_${label.replaceAll(/[/:#]/g, '-')}` : '';
  return `trailhound${named}_${query}${span}_${executionId.slice(0, 8)}.csv`;
};
