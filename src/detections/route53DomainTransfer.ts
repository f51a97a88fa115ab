/**
 * route53-domain-transfer: a domain's transfer lock disabled, or the domain transferred to
 * another account or registrar.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000026
 * (DisableDomainTransferLock), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

export const route53DomainTransfer = defineDetection({
  name: 'route53-domain-transfer',
  title: 'Route 53 domain transfer lock removed or domain transferred',
  severity: 'medium',
  techniques: ['T1098', 'T1584.001'],
  description:
    'DisableDomainTransferLock, TransferDomainToAnotherAwsAccount and TransferDomain move control of a registered domain, enabling its hijack (mail, TLS certificates, phishing).',
  benignCauses: ['Planned registrar or account moves'],
  references: [
    sigma('aws_route_53_domain_transferred_lock_disabled.yml (AWS Route 53 Domain Transfer Lock Disabled)'),
    sigma(
      'aws_route_53_domain_transferred_to_another_account.yml (AWS Route 53 Domain Transferred to Another Account)',
    ),
  ],
  condition: `eventsource IN ('route53domains.amazonaws.com', 'route53.amazonaws.com')
    AND eventname IN ('DisableDomainTransferLock', 'TransferDomainToAnotherAwsAccount', 'TransferDomain')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' for domain ',
    coalesce(${param('$.domainName')}, '?'),
    ${FAILURE},
    '.')`,
});
