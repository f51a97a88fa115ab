import { describe, expect, it } from 'vitest';
import { readStatementHeader, writeStatementHeader } from '../../../src/lib/sql/statementHeader.js';

const header = { query: 'principal-activity', from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };

describe('statement header', () => {
  it('is one readable SQL comment line', () => {
    expect(writeStatementHeader(header)).toBe(
      '-- trailhound query=principal-activity from=2023-07-10T00:00:00Z to=2023-07-11T00:00:00Z',
    );
  });

  it('reads back what it wrote, from a whole statement', () => {
    expect(
      readStatementHeader(`${writeStatementHeader(header)}\nWITH events AS (SELECT 1)\nSELECT 1`),
    ).toEqual(header);
  });

  it('encodes any value so that it can neither end the comment nor forge another key', () => {
    const hostile = { ...header, query: 'x\nDROP TABLE t; -- to=1999 query=y %zz é' };
    const line = writeStatementHeader(hostile);
    expect(line).not.toMatch(/[\n\r]/);
    expect(line.split(' ').filter((part) => part.startsWith('to='))).toHaveLength(1);
    expect(readStatementHeader(line)).toEqual(hostile);
  });

  it('reads nothing from text it did not write, or a header missing a key', () => {
    expect(readStatementHeader('SELECT 1')).toBeUndefined();
    expect(readStatementHeader(undefined)).toBeUndefined();
    expect(readStatementHeader('-- trailhound query=principal-activity')).toBeUndefined();
    expect(readStatementHeader('-- trailhound query=a from=%E0%A4%A to=b')).toBeUndefined();
  });
});

describe('statement header owner', () => {
  it('carries who started the execution, and reads back without one when none was written', () => {
    const owned = { ...header, owner: 'arn:aws:sts::111122223333:assumed-role/incident-responder/jo=doe' };
    const line = writeStatementHeader(owned);
    expect(line).toContain('owner=arn:aws:sts::111122223333:assumed-role/incident-responder/jo%3Ddoe');
    expect(readStatementHeader(line)).toEqual(owned);
    expect(readStatementHeader(writeStatementHeader(header))).not.toHaveProperty('owner');
  });
});
