/**
 * A packaged template as CloudFormation deploys it, for tests that read the deployment's promises:
 * its parameters at their defaults (the values given when it was packaged), each condition
 * evaluated (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition), resources and outputs whose
 * condition is false left out, each Fn::If replaced by its chosen branch, AWS::NoValue removed,
 * each Ref to a parameter replaced by its value, and each Fn::Join of known parts joined (as the
 * CloudFormation user guide's intrinsic function reference describes them). References to resources and pseudo parameters
 * are left as they are: what a test compares.
 */

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

const NO_VALUE = Symbol('AWS::NoValue');

const isFn = (value: Json, name: string): boolean =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  name in value;

export const deployedTemplate = (template: Json): Json => {
  const parameters: Record<string, string> = Object.fromEntries(
    Object.entries((template.Parameters ?? {}) as Record<string, Json>).map(([name, p]) => [
      name,
      String(p.Default),
    ]),
  );
  const conditions: Record<string, Json> = template.Conditions ?? {};
  const evaluated = new Map<string, boolean>();

  const literal = (value: Json): Json => {
    if (isFn(value, 'Ref') && value.Ref in parameters) return parameters[value.Ref];
    if (typeof value === 'string') return value;
    throw new Error(`A condition compares what is not known before deployment: ${JSON.stringify(value)}`);
  };
  const truth = (expression: Json): boolean => {
    if (isFn(expression, 'Condition')) return condition(expression.Condition);
    if (isFn(expression, 'Fn::Equals')) {
      const [a, b] = expression['Fn::Equals'];
      return literal(a) === literal(b);
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

  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (isFn(value, 'Ref')) {
      if (value.Ref === 'AWS::NoValue') return NO_VALUE;
      if (value.Ref in parameters) return parameters[value.Ref];
      return value;
    }
    if (isFn(value, 'Fn::If')) {
      const [name, whenTrue, whenFalse] = value['Fn::If'];
      return resolve(condition(name) ? whenTrue : whenFalse);
    }
    if (isFn(value, 'Fn::Join')) {
      // Joined to a string when every part is known: a parameter's value, or text.
      const [separator, parts] = value['Fn::Join'];
      const resolved = resolve(parts);
      return Array.isArray(resolved) && resolved.every((p) => typeof p === 'string')
        ? resolved.join(separator)
        : { 'Fn::Join': [separator, resolved] };
    }
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const resolved = resolve(inner);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  };

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
    const out = resolve(resource);
    if (out.DependsOn) {
      const kept = [out.DependsOn].flat().filter((d: string) => !resources.dropped.has(d));
      if (kept.length > 0) out.DependsOn = kept;
      else delete out.DependsOn;
    }
    deployed.Resources[id] = out;
  }
  for (const [id, output] of Object.entries(outputs.kept)) deployed.Outputs[id] = resolve(output);
  return deployed;
};
