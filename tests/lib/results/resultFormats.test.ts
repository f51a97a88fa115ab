/**
 * The Markdown answer is pasted into tickets, whose tools render it: log text (a user agent, a
 * resource name, an error message) must come out as the text it is, never as an image that loads,
 * a link that runs, markup or a broken table. Checked by rendering the table with a real GFM
 * renderer (marked), as a ticketing tool would.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { markdownTable } from '../../../src/lib/results/resultFormats.js';
import { HOSTILE_STRINGS } from '../../helpers/hostileStrings.js';

const columns = [
  { name: 'eventname', type: 'varchar' },
  { name: 'useragent', type: 'varchar' },
] as const;

const BEACON =
  '![t](http://attacker.example/beacon) <img src=x onerror=alert(1)> [click](javascript:alert(1))';
const MORE = [
  BEACON,
  '<script>alert(1)</script>',
  '**bold** _it_ `code` ~~gone~~ # heading',
  '[ref]: http://attacker.example/',
  '&lt;img src=x&gt; &#106;avascript:',
  'a | b | c',
  '\\| escaped pipe \\\\',
  '<http://attacker.example/autolink>',
  '{{template}} $' + '{x}',
  'see https://attacker.example/x and www.attacker.example today',
];

/** The cells of the rendered table's body, as text, and the HTML it rendered. */
const render = (values: readonly string[]) => {
  const markdown = markdownTable(
    '**sweep** · 1 rows',
    columns,
    values.map((v) => ({ eventname: 'GetCallerIdentity', useragent: v })),
  );
  const html = marked.parse(markdown, { async: false, gfm: true }) as string;
  const cells = [...html.matchAll(/<tr>\s*<td>(.*?)<\/td>\s*<td>(.*?)<\/td>\s*<\/tr>/gs)].map(
    (m) => m[2] as string,
  );
  return { markdown, html, cells };
};

/** The text a cell's HTML shows. */
const shown = (cellHtml: string) =>
  cellHtml
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

describe('markdownTable', () => {
  it('renders hostile log text as its own text: no image, no link, no tag, one row each', () => {
    const { html, cells } = render(MORE);
    const table = html.slice(html.indexOf('<table>'));
    expect(table).not.toMatch(/<img|<a |<script|<strong|<em>|<code>|<del>|<h1/);
    expect(cells).toHaveLength(MORE.length);
    for (const [i, value] of MORE.entries()) expect(shown(cells[i] as string), value).toBe(value);
  });

  it('keeps every hostile string of the fuzz set on one row, as its text (line breaks as spaces)', () => {
    const values = HOSTILE_STRINGS.map((s) => s.slice(0, 2000));
    const { cells } = render(values);
    expect(cells).toHaveLength(values.length);
    for (const [i, value] of values.entries()) {
      expect(shown(cells[i] as string), JSON.stringify(value)).toBe(value.replaceAll(/\r?\n|\r/g, ' '));
    }
  });

  it('shows NULL as an empty cell', () => {
    const markdown = markdownTable('s', columns, [{ eventname: 'X', useragent: null }]);
    expect(markdown).toContain('| X |  |');
  });
});
