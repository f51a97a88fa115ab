// @ts-check
'use strict';
/**
 * Folds a CloudFormation template's conditions when every parameter is known, as it is when the
 * stack is packaged: each Fn::If on a decided condition becomes its chosen branch, AWS::NoValue
 * disappears, resources and outputs whose condition is false are dropped (and so are DependsOn
 * entries on them). The template checked offline is then exactly the template deployed.
 * Conditions that cannot be decided from literals (none today) are left for CloudFormation.
 */

/** @typedef {any} Json CloudFormation templates are free-form JSON. */

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The value of a condition expression whose operands are all literals, or undefined.
 * @param {Json} expression
 * @param {Record<string, Json>} conditions
 * @param {Set<string>} [seen] names being evaluated, so a cycle is undecided rather than endless
 * @returns {boolean | undefined}
 */
const evaluate = (expression, conditions, seen = new Set()) => {
  if (typeof expression === 'boolean') return expression;
  if (!expression || typeof expression !== 'object') return undefined;
  const [fn, args] = Object.entries(expression)[0] ?? [];
  /** @param {(boolean | undefined)[]} values */
  const all = (values) => (values.every((v) => v !== undefined) ? values : undefined);
  switch (fn) {
    case 'Condition':
      return seen.has(args) ? undefined : evaluate(conditions[args], conditions, new Set([...seen, args]));
    case 'Fn::Equals':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0] === args[1] : undefined;
    case 'Fn::Not': {
      const v = evaluate(args[0], conditions, seen);
      return v === undefined ? undefined : !v;
    }
    case 'Fn::And': {
      const vs = all(args.map((/** @type {Json} */ a) => evaluate(a, conditions, seen)));
      return vs?.every(Boolean);
    }
    case 'Fn::Or': {
      const vs = all(args.map((/** @type {Json} */ a) => evaluate(a, conditions, seen)));
      return vs?.some(Boolean);
    }
    default:
      return undefined;
  }
};

/**
 * Replaces each Fn::If on a known condition by its branch, and drops AWS::NoValue.
 * @param {Json} value
 * @param {Map<string, boolean>} known
 * @returns {Json}
 */
const fold = (value, known) => {
  if (Array.isArray(value)) return value.map((v) => fold(v, known)).filter((v) => v !== NO_VALUE);
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && value.Ref === 'AWS::NoValue') return NO_VALUE;
  if (keys.length === 1 && keys[0] === 'Fn::If' && known.has(value['Fn::If'][0])) {
    const [name, whenTrue, whenFalse] = value['Fn::If'];
    return fold(known.get(name) ? whenTrue : whenFalse, known);
  }
  /** @type {Record<string, Json>} */
  const out = {};
  for (const key of keys) {
    const folded = fold(value[key], known);
    if (folded !== NO_VALUE) out[key] = folded;
  }
  return out;
};

/**
 * Folds `template` in place.
 * @param {{ Conditions?: Record<string, Json>, Resources?: Record<string, Json>, Outputs?: Record<string, Json> }} template
 */
const foldConditions = (template) => {
  const conditions = template.Conditions ?? {};
  /** @type {Map<string, boolean>} */
  const known = new Map();
  for (const name of Object.keys(conditions)) {
    const v = evaluate({ Condition: name }, conditions);
    if (v !== undefined) known.set(name, v);
  }
  const sections = /** @type {const} */ (['Resources', 'Outputs']);
  /** @type {Set<string>} */
  const dropped = new Set();
  for (const section of sections) {
    const items = template[section] ?? {};
    for (const [id, item] of Object.entries(items)) {
      if (!item.Condition || !known.has(item.Condition)) continue;
      if (known.get(item.Condition)) delete item.Condition;
      else {
        delete items[id];
        dropped.add(id);
      }
    }
  }
  for (const section of sections) {
    const items = template[section] ?? {};
    for (const [id, item] of Object.entries(items)) {
      const folded = fold(item, known);
      if (folded.DependsOn) {
        /** @type {string[]} */
        const deps = [folded.DependsOn].flat().filter((d) => !dropped.has(d));
        if (deps.length) folded.DependsOn = deps;
        else delete folded.DependsOn;
      }
      items[id] = folded;
    }
  }
  for (const name of known.keys()) delete conditions[name];
  if (Object.keys(conditions).length === 0) delete template.Conditions;
};

module.exports = { foldConditions };
