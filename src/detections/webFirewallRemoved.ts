/**
 * web-firewall-removed: an AWS WAF web ACL taken off the resource it protects, or deleted.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000110
 * (wafv2 DisassociateWebACL) and 111 (WAF Classic regional DisassociateWebACL), written from the
 * WAF API references; 112 (AssociateWebACL) is its near miss.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const webFirewallRemoved = defineDetection({
  name: 'web-firewall-removed',
  title: 'AWS WAF web ACL disassociated from its resource or deleted',
  severity: 'high',
  techniques: ['T1562.007'],
  description:
    'DisassociateWebACL (WAF and WAF Classic regional) leaves a load balancer, API or CloudFront distribution without its web application firewall; DeleteWebACL removes the rules. Attackers do it before exploiting what the rules blocked (injection, bots, blocked addresses).',
  benignCauses: ['Replacing a web ACL with a new one', 'Decommissioning the protected resource'],
  references: [mitre('T1562.007', 'Impair Defenses: Disable or Modify Cloud Firewall')],
  condition: `eventsource IN ('wafv2.amazonaws.com', 'waf-regional.amazonaws.com', 'waf.amazonaws.com')
    AND eventname IN ('DisassociateWebACL', 'DeleteWebACL')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on ',
    coalesce(${param('$.resourceArn')}, ${param('$.name')}, ${param('$.webACLId')}, ${param('$.id')}, '?'),
    ${FAILURE},
    '.')`,
});
