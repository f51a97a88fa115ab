/** Aligned plain-text columns, laid out by the first page and kept for the pages after it. */
import { describe, expect, it } from 'vitest';
import { TERMINAL_CELL_WIDTH, tableHeader, tableLayout, tableRows } from '../../src/cli/tableFormat.js';
import type { ResultColumn } from '../../src/lib/engines/queryEngine.js';

const columns: ResultColumn[] = [
  { name: 'eventname', type: 'varchar' },
  { name: 'events', type: 'bigint' },
  { name: 'error_code', type: 'varchar' },
];

describe('table format', () => {
  it('aligns text left and numbers right, NULL as nothing, no trailing spaces', () => {
    const rows = [
      { eventname: 'CreateUser', events: 3, error_code: null },
      { eventname: 'GetCallerIdentity', events: 120, error_code: 'AccessDenied' },
    ];
    const layout = tableLayout(columns, rows, false);
    expect(tableHeader(layout) + tableRows(layout, rows)).toBe(
      [
        'eventname          events  error_code',
        '-----------------  ------  ------------',
        'CreateUser              3',
        'GetCallerIdentity     120  AccessDenied',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal, cuts cells to their width; elsewhere keeps later, longer cells whole', () => {
    const long = 'x'.repeat(TERMINAL_CELL_WIDTH + 10);
    const first = [{ eventname: long, events: 1, error_code: 'a\nb' }];
    const onTerminal = tableLayout(columns, first, true);
    expect(tableRows(onTerminal, first)).toBe(`${'x'.repeat(TERMINAL_CELL_WIDTH - 1)}…       1  a b\n`);
    const inFile = tableLayout(columns, [{ eventname: 'short', events: 1, error_code: null }], false);
    expect(tableRows(inFile, [{ eventname: 'much longer', events: 2, error_code: null }])).toBe(
      'much longer       2\n',
    );
  });
});
