/** --param values typed by the query's JSON Schema, as GET /v1/queries describes it. */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../src/cli/errors.js';
import { type JsonSchema, splitParams, typedParameters } from '../../src/cli/parameters.js';
import { QUERIES } from '../../src/queries/catalog.js';

/** A query's parameter schema exactly as the catalog route writes it. */
const schemaOf = (name: string): JsonSchema => {
  const query = QUERIES.find((q) => q.name === name);
  if (!query) throw new Error(`no query ${name}`);
  return z.toJSONSchema(query.parameters, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
};

const typed = (name: string, ...params: string[]) =>
  typedParameters(splitParams(params, 'ask'), schemaOf(name), name);

describe('typedParameters', () => {
  it('makes integers numbers, and leaves strings alone', () => {
    expect(typed('security-group-ingress', 'groupId=sg-04cfb7a4712d75b00', 'port=22')).toEqual({
      groupId: 'sg-04cfb7a4712d75b00',
      port: 22,
    });
  });

  it('reads true and false as booleans, and splits lists at commas', () => {
    expect(typed('events', 'eventNames=CreateUser, DeleteUser', 'readOnly=false')).toEqual({
      eventNames: ['CreateUser', 'DeleteUser'],
      readOnly: false,
    });
    expect(typed('sweep', 'detections=root-account-used')).toEqual({ detections: ['root-account-used'] });
    expect(typed('events', 'eventNames=')).toEqual({ eventNames: [] });
  });

  it('keeps a value that is not of its type as text, for the server to refuse by name', () => {
    expect(typed('security-group-ingress', 'port=twenty-two')).toEqual({ port: 'twenty-two' });
    expect(typed('events', 'readOnly=yes')).toEqual({ readOnly: 'yes' });
  });

  it('reads a property whose schema is an anyOf of strings as text', () => {
    // cidr is 'world' | 'any' | a CIDR: a string however it is written, never a number.
    expect(typed('security-group-ingress', 'cidr=10.0.0.0/8')).toEqual({ cidr: '10.0.0.0/8' });
  });

  it('refuses a name the query does not take, naming those it takes, before anything is sent', () => {
    expect(() => typed('principal-activity', 'colour=42')).toThrow(
      '--param colour: principal-activity takes no parameter of that name (it takes: userName, arn, accessKeyId, principalId)',
    );
    expect(() => typed('principal-activity', 'colour=42')).toThrow(UsageError);
  });

  it('refuses a name every JavaScript object has, whatever the schema, rather than drop it', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'toString']) {
      expect(() => typed('events', `${name}=1`), name).toThrow(UsageError);
      expect(() => typedParameters(splitParams([`${name}=1`], 'ask'), undefined, 'nope'), name).toThrow(
        UsageError,
      );
    }
  });

  it('sends the parameters of a query it does not know as text, for the start to refuse', () => {
    expect(typedParameters(splitParams(['port=22'], 'ask'), undefined, 'nope')).toEqual({ port: '22' });
  });

  it('keeps everything after the first = in the value', () => {
    expect(typed('mentions', 'text=a=b=c')).toEqual({ text: 'a=b=c' });
  });
});

describe('splitParams', () => {
  it.each([['userName'], ['=bert-jan'], ['']])('refuses %j as a usage error', (param) => {
    expect(() => splitParams([param], 'ask')).toThrow(UsageError);
  });

  it('refuses a name given twice', () => {
    expect(() => splitParams(['userName=a', 'userName=b'], 'ask')).toThrow('--param userName is given twice');
  });
});
