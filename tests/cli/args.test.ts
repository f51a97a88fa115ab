/** The command line parsed, and each command's help naming every option it takes. */
import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';
import { COMMAND_HELP, PROGRAM_HELP } from '../../src/cli/help.js';

describe('parseCommandLine', () => {
  it('reads ask with every option, repeated ones as lists', () => {
    expect(
      parseCommandLine([
        'ask',
        'principal-activity',
        '-p',
        'userName=bert-jan',
        '--from',
        '2023-07-10T00:00:00Z',
        '--to',
        '2023-07-11T00:00:00Z',
        '--label',
        'INC-1',
        '--account',
        '123837392027',
        '--account',
        '111122223333',
        '--region',
        'us-east-1',
        '-f',
        'csv',
        '--endpoint',
        'http://127.0.0.1:4000',
        '--timeout',
        '90',
      ]),
    ).toEqual({
      name: 'ask',
      endpoint: 'http://127.0.0.1:4000',
      timeoutSeconds: 90,
      query: 'principal-activity',
      params: [['userName', 'bert-jan']],
      from: '2023-07-10T00:00:00Z',
      to: '2023-07-11T00:00:00Z',
      label: 'INC-1',
      accounts: ['123837392027', '111122223333'],
      regions: ['us-east-1'],
      format: 'csv',
    });
  });

  it('reads --help anywhere in a command, and help COMMAND', () => {
    expect(parseCommandLine(['status', 'x', '--help'])).toEqual({ name: 'help', topic: 'status' });
    expect(parseCommandLine(['help', 'csv'])).toEqual({ name: 'help', topic: 'csv' });
    expect(parseCommandLine(['-h'])).toEqual({ name: 'help' });
    // Every command waits 60 s at most for an answer unless told otherwise; smoke 30.
    expect(parseCommandLine(['status', 'x'])).toMatchObject({ timeoutSeconds: 60 });
    expect(parseCommandLine(['smoke'])).toMatchObject({ timeoutSeconds: 30 });
    expect(() => parseCommandLine(['csv', 'x', '--timeout', '0'])).toThrow(/--timeout takes whole seconds/);
  });

  it.each([
    [[], undefined],
    [['ask'], 'ask'],
    [['status', 'a', 'b'], 'status'],
    [['csv', 'x', '--format', 'csv'], 'csv'],
    [['results', 'x', '--format', 'xml'], 'results'],
    [['queries', '--endpoint'], 'queries'],
    [['watches'], 'watches'],
    [['watches', 'stop', 'x'], 'watches'],
    [['watches', 'show'], 'watches'],
    [['watches', 'list', 'x'], 'watches'],
    [['watches', 'run', 'x', '--every', 'PT5M'], 'watches'],
    [['watches', 'create', 'sweep', '--notify', 'https://h.example.com/x'], 'watches'],
    [['watches', 'create', 'sweep', '--every', 'PT5M'], 'watches'],
    [
      ['watches', 'create', 'sweep', '--every', 'PT5M', '--notify', 'u', '--max-bytes-scanned', '1e9'],
      'watches',
    ],
  ])('refuses %j as a usage error of %s', (argv, command) => {
    let error: unknown;
    try {
      parseCommandLine(argv);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).command).toBe(command);
  });
});

describe('parseCommandLine: watches', () => {
  it('reads create with every option, and the other actions with the id they need', () => {
    expect(
      parseCommandLine([
        'watches',
        'create',
        'principal-activity',
        '--every',
        'PT15M',
        '--lookback',
        'PT1H',
        '--notify',
        'https://events.pagerduty.com/v2/enqueue',
        '--notify-format',
        'pagerduty',
        '--routing-key-secret',
        'pagerduty-soc',
        '-p',
        'userName=bert-jan',
        '--label',
        'soc',
        '--account',
        '123837392027',
        '--region',
        'us-east-1',
        '--max-bytes-scanned',
        '1000000000',
        '-f',
        'json',
      ]),
    ).toEqual({
      name: 'watches',
      endpoint: undefined,
      timeoutSeconds: 60,
      action: 'create',
      format: 'json',
      create: {
        query: 'principal-activity',
        params: [['userName', 'bert-jan']],
        every: 'PT15M',
        lookback: 'PT1H',
        notify: {
          url: 'https://events.pagerduty.com/v2/enqueue',
          format: 'pagerduty',
          routingKeySecret: 'pagerduty-soc',
        },
        label: 'soc',
        accounts: ['123837392027'],
        regions: ['us-east-1'],
        maxBytesScanned: 1_000_000_000,
      },
    });
    expect(parseCommandLine(['watches', 'list'])).toMatchObject({ action: 'list' });
    for (const action of ['show', 'delete', 'run']) {
      expect(parseCommandLine(['watches', action, 'abc'])).toMatchObject({ action, id: 'abc' });
    }
  });
});

describe('help', () => {
  it.each(Object.entries(COMMANDS))('of %s names each of its options', (name, spec) => {
    const help = COMMAND_HELP[name as keyof typeof COMMANDS];
    expect(help.startsWith(`Usage: trailhound ${name}`)).toBe(true);
    for (const option of Object.keys(spec.options)) expect(help).toContain(`--${option}`);
    for (const positional of spec.positionals) expect(help.split('\n')[0]).toContain(positional);
    expect(PROGRAM_HELP).toContain(`  ${name}`);
  });
});
