/**
 * A packaged template as CloudFormation deploys it, for tests that read the deployment's promises,
 * by the intrinsic function reference of the CloudFormation user guide: its parameters at their
 * defaults (the values given when it was packaged), each condition evaluated (Fn::Equals, Fn::Not,
 * Fn::And, Fn::Or, Condition), resources and outputs whose condition is false left out, each
 * Fn::If replaced by its chosen branch, AWS::NoValue removed, Refs to parameters replaced by their
 * values, and Fn::Join, Fn::Sub, Fn::Split and Fn::Select computed once their parts are known.
 *
 * `deployedTemplate` leaves references to resources and pseudo parameters as they are (what most
 * tests compare); `resolvedTemplate` is told them (an account, a region, each resource's name and
 * attributes) and resolves everything to literal values, failing on what it was not told: the
 * IAM policies a simulator evaluates must be exactly the deployed ones.
 */

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

const NO_VALUE = Symbol('AWS::NoValue');

export interface Deployment {
  readonly accountId: string;
  readonly region: string;
  /** Each resource's Ref, by logical id. */
  readonly refs: Readonly<Record<string, string>>;
  /** Each resource's attributes (Fn::GetAtt), by logical id. */
  readonly getAtts: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const isFn = (value: Json, name: string): boolean =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  name in value;

const allStrings = (values: Json): values is string[] =>
  Array.isArray(values) && values.every((v) => typeof v === 'string');

const evaluate = (
  template: Json,
  deployment: Deployment | undefined,
  select: (resource: Json) => boolean = () => true,
): Json => {
  const parameters: Record<string, string> = Object.fromEntries(
    Object.entries((template.Parameters ?? {}) as Record<string, Json>).map(([name, p]) => [
      name,
      String(p.Default),
    ]),
  );
  const pseudo: Record<string, string> = deployment
    ? {
        'AWS::AccountId': deployment.accountId,
        'AWS::Region': deployment.region,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
      }
    : {};
  const conditions: Record<string, Json> = template.Conditions ?? {};
  const evaluated = new Map<string, boolean>();
  const unknown = (what: string) => {
    throw new Error(`The template needs ${what}, which the test did not say`);
  };

  const ref = (name: string): Json => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in parameters) return parameters[name];
    if (name in pseudo) return pseudo[name];
    if (!deployment) return { Ref: name };
    return deployment.refs[name] ?? unknown(`the Ref of ${name}`);
  };
  const getAtt = (id: string, attribute: string): Json => {
    if (!deployment) return { 'Fn::GetAtt': [id, attribute] };
    return deployment.getAtts[id]?.[attribute] ?? unknown(`${id}.${attribute}`);
  };
  const sub = (text: string, variables: Record<string, Json>): Json =>
    text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const value =
        name in variables
          ? variables[name]
          : name.includes('.') && !name.startsWith('AWS::')
            ? getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1))
            : ref(name);
      if (typeof value !== 'string') return unknown(`\${${name}} as text`);
      return value;
    });

  const truth = (expression: Json): boolean => {
    if (isFn(expression, 'Condition')) return condition(expression.Condition);
    if (isFn(expression, 'Fn::Equals')) {
      const [a, b] = expression['Fn::Equals'].map(resolve);
      if (typeof a !== 'string' || typeof b !== 'string')
        return unknown(`a condition over ${JSON.stringify([a, b])}`);
      return a === b;
    }
    if (isFn(expression, 'Fn::Not')) return !truth(expression['Fn::Not'][0]);
    if (isFn(expression, 'Fn::And')) return expression['Fn::And'].every(truth);
    if (isFn(expression, 'Fn::Or')) return expression['Fn::Or'].some(truth);
    throw new Error(`Not a condition function: ${JSON.stringify(expression)}`);
  };
  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`No condition ${name}`);
    if (!evaluated.has(name)) evaluated.set(name, truth(conditions[name]));
    return evaluated.get(name) as boolean;
  };

  // `{ Condition: … }` is a condition only inside Conditions: in a resource it is data (an IAM
  // statement's Condition block).
  function resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (isFn(value, 'Ref')) return ref(value.Ref);
    if (isFn(value, 'Fn::GetAtt')) {
      const [id, attribute] = value['Fn::GetAtt'];
      return getAtt(id, attribute);
    }
    if (isFn(value, 'Fn::If')) {
      const [name, whenTrue, whenFalse] = value['Fn::If'];
      return resolve(condition(name) ? whenTrue : whenFalse);
    }
    if (isFn(value, 'Fn::Join')) {
      const [separator, parts] = value['Fn::Join'];
      const resolved = resolve(parts);
      return allStrings(resolved) ? resolved.join(separator) : { 'Fn::Join': [separator, resolved] };
    }
    if (isFn(value, 'Fn::Sub')) {
      const [text, variables] = [value['Fn::Sub']].flat();
      return sub(text, resolve(variables ?? {}));
    }
    if (isFn(value, 'Fn::Split')) {
      const [separator, text] = value['Fn::Split'];
      const resolved = resolve(text);
      return typeof resolved === 'string'
        ? resolved.split(separator)
        : { 'Fn::Split': [separator, resolved] };
    }
    if (isFn(value, 'Fn::Select')) {
      const [index, list] = value['Fn::Select'].map(resolve);
      return Array.isArray(list) ? list[Number(index)] : { 'Fn::Select': [index, list] };
    }
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const resolved = resolve(inner);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  const section = (items: Record<string, Json> | undefined) => {
    const kept: Record<string, Json> = {};
    const dropped = new Set<string>();
    for (const [id, item] of Object.entries(items ?? {})) {
      if (item.Condition && !condition(item.Condition)) dropped.add(id);
      else {
        const { Condition: _decided, ...rest } = item;
        kept[id] = rest;
      }
    }
    return { kept, dropped };
  };
  const resources = section(template.Resources);
  const outputs = section(template.Outputs);
  const deployed: Json = { Resources: {}, Outputs: {} };
  for (const [id, resource] of Object.entries(resources.kept)) {
    if (!select(resource)) continue;
    const out = resolve(resource);
    if (out.DependsOn) {
      const kept = [out.DependsOn].flat().filter((d: string) => !resources.dropped.has(d));
      if (kept.length > 0) out.DependsOn = kept;
      else delete out.DependsOn;
    }
    deployed.Resources[id] = out;
  }
  if (!deployment)
    for (const [id, output] of Object.entries(outputs.kept)) deployed.Outputs[id] = resolve(output);
  return deployed;
};

/** The template as deployed, references to resources and pseudo parameters left as they are. */
export const deployedTemplate = (template: Json): Json => evaluate(template, undefined);

/**
 * The resources `select` picks (all by default) as deployed into `deployment`: every value
 * literal, or an error naming what is missing.
 */
export const resolvedTemplate = (
  template: Json,
  deployment: Deployment,
  select?: (resource: Json) => boolean,
): Json => evaluate(template, deployment, select);
