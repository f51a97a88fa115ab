/**
 * Attack and tampering events written by another team: the positive test events of Panther's
 * CloudTrail rules (tests/fixtures/panther-rule-tests, cut as its README says before any detection
 * was changed for them). The sweep must flag at least 90 % of them: an event is
 * flagged when a finding names it, as its event or one of an aggregate's sample events. The misses
 * are listed, so that one more or one fewer is a visible change, not a drift inside the ratio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/apiClient.js';
import type { RawRecord } from '../helpers/cloudtrailData.js';
import { type PantherEvent, pantherEvents, pantherTrailDir } from '../helpers/pantherRuleTests.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

/**
 * The events no detection flags, by rule file and test, and why they are left: two records ask for
 * what AWS's APIs do not take (ModifyDBCluster has no publiclyAccessible; a bucket's versioning
 * status is Enabled or Suspended, never Disabled), so CloudTrail cannot hold them; instance
 * credentials used from an address outside AWS need the instance's own address to be told from an
 * instance calling from its public IP; an S3 object copied into another account's bucket shows that
 * account only in the record's resources, which no detection reads yet.
 */
const KNOWN_MISSES = [
  'aws_imds_credential_exfiltration.yml: IMDS Credentials Used From Public IP',
  'aws_rds_instance_made_public.yml: RDS Cluster Made Public with Security Group Changes',
  'aws_s3_copy_object_to_external_account_bucket.yml: S3 CopyObject to External Account Bucket',
  'aws_s3_suspend_versioning.yml: Versioning Disabled Successfully',
];

/**
 * For each rule, the detections that find the behaviour it was written for: every event of the
 * rule that is flagged must be flagged by one of them (not only by, say, the root user's
 * detection because the test happened to use root).
 */
const BEHAVIOUR: Record<string, readonly string[]> = {
  'aws_ami_modified_for_public_access.yml': ['image-or-snapshot-shared'],
  'aws_bedrock_deletemodelinvocationloggingconfiguration.yml': ['bedrock-logging-or-guardrail-removed'],
  'aws_bedrock_guardrail_update_delete.yml': ['bedrock-logging-or-guardrail-removed'],
  'aws_cloudtrail_event_selectors_disabled.yml': ['cloudtrail-event-selectors-weakened'],
  'aws_cloudtrail_iamcompromisedkeyquarantine.yml': ['exposed-credentials-quarantined'],
  'aws_cloudtrail_loginprofilecreatedormodified.yml': ['iam-login-profile-changed-for-other-user'],
  'aws_cloudtrail_region_enabled.yml': ['account-region-enabled'],
  'aws_cloudtrail_stopped.yml': ['cloudtrail-trail-stopped-or-deleted'],
  'aws_codebuild_made_public.yml': ['resource-policy-public-or-cross-account'],
  'aws_config_service_disabled_deleted.yml': ['config-or-securityhub-disabled'],
  'aws_console_getsignintoken.yml': ['long-term-credentials-converted'],
  'aws_ec2_ebs_encryption_disabled.yml': ['encryption-keys-destroyed-or-weakened'],
  'aws_ec2_startup_script_change.yml': ['ec2-user-data-modified'],
  'aws_iam_backdoor_user_keys.yml': ['iam-access-key-created-for-other-user'],
  'aws_iam_compromised_key_quarantine.yml': ['exposed-credentials-quarantined'],
  'aws_iam_user_key_created.yml': ['iam-access-key-created-for-other-user'],
  'aws_iam_user_key_created_demo.yml': ['iam-access-key-created-for-other-user'],
  'aws_key_compromised.yml': ['exposed-credentials-quarantined'],
  'aws_network_acl_permissive_entry.yml': ['network-perimeter-opened'],
  'aws_rds_activity_stream_stopped.yml': ['rds-audit-logging-stopped'],
  'aws_rds_automated_backup_deleted.yml': ['data-store-or-backup-destroyed'],
  'aws_rds_cluster_failover.yml': ['rds-database-rebooted-or-failed-over'],
  'aws_rds_deletion_protection_disabled.yml': ['data-store-or-backup-destroyed'],
  'aws_rds_iam_role_added.yml': ['rds-iam-role-added'],
  'aws_rds_instance_deletion.yml': ['data-store-or-backup-destroyed'],
  'aws_rds_instance_made_public.yml': ['rds-instance-exposed-or-password-reset'],
  'aws_rds_instance_rebooted.yml': ['rds-database-rebooted-or-failed-over'],
  'aws_rds_log_file_downloaded.yml': ['rds-log-files-downloaded'],
  'aws_rds_manual_snapshot_created.yml': ['rds-snapshot-created-or-copied'],
  'aws_rds_master_pass_updated.yml': ['rds-instance-exposed-or-password-reset'],
  'aws_rds_publicrestore.yml': ['rds-instance-exposed-or-password-reset'],
  'aws_rds_security_group_ingress_authorized.yml': ['managed-service-security-group-changed'],
  'aws_rds_snapshot_copied_cross_region.yml': ['rds-snapshot-created-or-copied'],
  'aws_rds_snapshot_deleted.yml': ['data-store-or-backup-destroyed'],
  'aws_rds_snapshot_export.yml': ['bulk-data-export-started'],
  'aws_rds_snapshot_shared.yml': ['image-or-snapshot-shared'],
  'aws_resource_made_public.yml': [
    'resource-policy-public-or-cross-account',
    's3-bucket-opened-to-outsiders',
  ],
  'aws_root_access_key_created.yml': ['root-account-used'],
  'aws_root_activity.yml': ['root-account-used'],
  'aws_root_password_changed.yml': ['root-account-used'],
  'aws_s3_copy_object_cross_account_kms.yml': ['s3-objects-encrypted-with-outside-key'],
  'aws_s3_delete_bucket_encryption.yml': ['s3-bucket-deleted-or-reconfigured'],
  'aws_s3_delete_bucket_replication.yml': ['s3-bucket-deleted-or-reconfigured'],
  'aws_s3_delete_public_access_block.yml': ['s3-public-access-block-weakened'],
  'aws_s3_disable_bucket_logging.yml': ['s3-bucket-deleted-or-reconfigured'],
  'aws_s3_disable_mfa_delete.yml': ['s3-versioning-suspended'],
  'aws_s3_suspend_versioning.yml': ['s3-versioning-suspended'],
  'aws_security_configuration_change.yml': ['cloudtrail-trail-stopped-or-deleted'],
  'aws_securityhub_finding_evasion.yml': ['config-or-securityhub-disabled'],
  'aws_snapshot_made_public.yml': ['image-or-snapshot-shared'],
  'aws_user_login_profile_modified.yml': ['iam-login-profile-changed-for-other-user'],
  'aws_vpc_flow_logs_deleted.yml': ['network-logs-deleted'],
  'aws_waf_disassociation.yml': ['web-firewall-removed'],
};

/** A rule's file name, without its folder. */
const fileOf = (t: { rule: string }) => t.rule.split('/').at(-1) ?? t.rule;

const label = (e: PantherEvent) => e.from.map((t) => `${fileOf(t)}: ${t.test}`).sort()[0] ?? '?';

let events: PantherEvent[];
let records: RawRecord[];
let server: TestServer;
/** Each event id, and the detections that flag it. */
const flagged = new Map<string, Set<string>>();

beforeAll(async () => {
  events = await pantherEvents();
  const trail = await pantherTrailDir(events);
  records = trail.records;
  server = await startTestServer(await duckDbTestRuntime(trail.dir));
  const years = [...new Set(records.map((r) => Number(String(r.eventTime).slice(0, 4))))].sort();
  for (const year of years) {
    const { rows } = await runToEnd(server.baseUrl, {
      query: 'sweep',
      from: `${year}-01-01T00:00:00Z`,
      to: `${year + 1}-01-01T00:00:00Z`,
    });
    for (const row of rows) {
      const ids = [
        String(row.eventid),
        ...String(row.sample_event_ids ?? '')
          .split(',')
          .filter(Boolean),
      ];
      for (const id of ids) flagged.set(id, (flagged.get(id) ?? new Set()).add(String(row.detection)));
    }
  }
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe("another team's attack and tampering events", () => {
  it('are the set the README describes: enabled single-event rules rated low or above, of attack tactics', () => {
    expect(events.length).toBe(77);
    const rules = new Set(events.flatMap((e) => e.from.map((t) => t.rule)));
    expect(rules.size).toBe(55);
    for (const e of events) {
      expect(e.record.eventName, label(e)).toEqual(expect.any(String));
      for (const t of e.from) {
        expect(['Low', 'Medium', 'High', 'Critical'], label(e)).toContain(t.severity);
        expect(t.commit, label(e)).toMatch(/^[0-9a-f]{40}$/);
        expect(
          t.tactics.some((tactic) => !['TA0001', 'TA0007', 'TA0011'].includes(tactic)),
          label(e),
        ).toBe(true);
      }
    }
    expect(new Set(events.map((e) => JSON.stringify(e.record))).size, 'each event once').toBe(events.length);
  });

  it('are flagged, at least 90 % of them: all but the known misses', () => {
    const missed = events.filter((_, i) => !flagged.has(String(records[i]?.eventID))).map(label);
    expect((events.length - missed.length) / events.length).toBeGreaterThanOrEqual(0.9);
    expect(missed.sort()).toEqual(KNOWN_MISSES);
  });

  it('are flagged by a detection of the behaviour each rule was written for', () => {
    const rules = new Set(events.flatMap((e) => e.from.map(fileOf)));
    const missedRules = new Set(KNOWN_MISSES.map((m) => m.split(':')[0]));
    for (const rule of rules) if (!missedRules.has(rule)) expect(BEHAVIOUR[rule], rule).toBeDefined();
    for (const [i, e] of events.entries()) {
      const by = flagged.get(String(records[i]?.eventID));
      if (!by) continue;
      for (const t of e.from) {
        const expected = BEHAVIOUR[fileOf(t)] ?? [];
        expect(
          expected.some((d) => by.has(d)),
          `${label(e)}: flagged by ${[...by].join(', ')}, not by ${expected.join(' or ')}`,
        ).toBe(true);
      }
    }
  });
});
