/** Reference constructors for detection modules: the id as cited, and the page it comes from. */
import type { Reference } from './detection.js';

/** A Stratus Red Team AWS technique, by its id (e.g. aws.defense-evasion.cloudtrail-stop). */
export const stratus = (id: string): Reference => ({
  kind: 'stratus',
  id,
  url: `https://stratus-red-team.cloud/attack-techniques/AWS/${id}/`,
});

/**
 * A SigmaHQ rule: its file (under rules/cloud/aws/cloudtrail/ unless given with its folder) and,
 * after it, its title and any note, as in "aws_cloudtrail_disable_logging.yml (AWS CloudTrail Important Change)".
 */
export const sigma = (id: string): Reference => {
  const file = id.split(' ')[0] ?? id;
  const path = file.includes('/') ? file : `rules/cloud/aws/cloudtrail/${file}`;
  return { kind: 'sigma', id, url: `https://github.com/SigmaHQ/sigma/blob/master/${path}` };
};

/** A MITRE ATT&CK technique page (e.g. T1562.008). */
export const mitre = (technique: string, name: string): Reference => ({
  kind: 'mitre',
  id: `${technique} ${name}`,
  url: `https://attack.mitre.org/techniques/${technique.replace('.', '/')}/`,
});

/** A page of AWS documentation: its title as cited, and its address. */
export const awsDoc = (title: string, url: string): Reference => ({ kind: 'aws', id: title, url });
