// @ts-check
'use strict';
/**
 * The CloudFormation parameters of the template: each deployment parameter that a condition of
 * deploy/resources/conditions.yml reads (`inTemplate` in deploy/parameters.cjs), named as in
 * CloudFormation (`kmsKeyArn` is `KmsKeyArn`), its default the value given when the stack was
 * packaged, its AllowedPattern the parameter's own. CloudFormation evaluates the conditions on
 * them: no condition is decided before the template reaches it.
 */
const { PARAMETERS } = require('./parameters.cjs');

/** @param {string} name */
const templateName = (name) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/**
 * @param {Record<string, string | undefined>} params the resolved parameters
 * @returns {{ Parameters: Record<string, { Type: 'String', Default: string, AllowedPattern: string, Description: string }> }}
 */
const templateParameters = (params) => ({
  Parameters: Object.fromEntries(
    Object.entries(PARAMETERS)
      .filter(([, p]) => p.inTemplate)
      .map(([name, p]) => [
        templateName(name),
        {
          Type: 'String',
          Default: String(params[name] ?? p.default),
          AllowedPattern: p.pattern.source,
          Description: p.meaning.replaceAll('`', ''),
        },
      ]),
  ),
});

/** @param {{ resolveVariable: (variable: string) => Promise<any> }} framework */
module.exports = async ({ resolveVariable }) =>
  templateParameters(await resolveVariable('self:custom.parameters'));
module.exports.templateParameters = templateParameters;
module.exports.templateName = templateName;
